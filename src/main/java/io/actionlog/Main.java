package io.actionlog; public class Main { public static void main(String[] a){} }

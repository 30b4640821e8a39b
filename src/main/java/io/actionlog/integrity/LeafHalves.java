package io.actionlog.integrity;

/**
 * The leaf bytes of a Created entry before and after the digits of its id ({@link LeafBytes#halves}): the id is the
 * one member the writer alone decides, so the rest can be written on the thread that takes the request.
 */
public record LeafHalves(byte[] head, byte[] tail) {
}

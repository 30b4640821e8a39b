package io.actionlog.integrity;

/**
 * The leaf bytes of a Created entry before and after the digits of its id ({@link LeafBytes#halves}): the id is the
 * one member the writer alone decides, so the rest can be written on the thread that takes the request. The head
 * starts with RFC 9162's 0x00 leaf prefix, so that the writer hashes three arrays and no byte of its own.
 */
public record LeafHalves(byte[] head, byte[] tail) {
}

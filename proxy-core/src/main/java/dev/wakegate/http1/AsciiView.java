package dev.wakegate.http1;

/**
 * A {@link CharSequence} over a range of ASCII (Latin-1) bytes, reused instead of making a String:
 * what a regex reads a header value through on the warm path. Valid until the bytes are reused.
 */
final class AsciiView implements CharSequence {
    private byte[] bytes = new byte[0];
    private int start;
    private int end;

    AsciiView of(byte[] a, int from, int to) {
        bytes = a;
        start = from;
        end = to;
        return this;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= end - start) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[start + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return Ascii.string(bytes, start + from, start + to);
    }

    @Override
    public String toString() {
        return Ascii.string(bytes, start, end);
    }
}

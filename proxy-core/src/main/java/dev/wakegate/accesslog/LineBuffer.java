package dev.wakegate.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array the writer thread formats a batch of lines into; reused from batch to batch. */
final class LineBuffer {
    private byte[] bytes;
    private int size;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    LineBuffer put(byte b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = b;
        return this;
    }

    LineBuffer put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** Appends {@code s}, whose characters are ASCII (addresses, constants). */
    LineBuffer ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    LineBuffer decimal(long n) {
        if (n < 0) {
            put((byte) '-');
            n = -n;
        }
        ensure(20);
        int start = size;
        do {
            bytes[size++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    /** The bytes as text (tests). */
    @Override
    public String toString() {
        return new String(bytes, 0, size, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}

package dev.wakegate.server; public final class Main { public static void main(String[] a) {} }

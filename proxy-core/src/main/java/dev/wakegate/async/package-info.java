/** Completing, joining and unwrapping futures: {@link dev.wakegate.async.Futures}. */
@NullMarked
package dev.wakegate.async;

import org.jspecify.annotations.NullMarked;

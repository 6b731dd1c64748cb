/**
 * HTTP/1.1 as the data path speaks it, without Netty's codec: strict, bounded, incremental head
 * parsers that work on the bytes in place ({@link dev.wakegate.http1.RequestHeadParser},
 * {@link dev.wakegate.http1.ResponseHeadParser}, sharing the line layer of
 * {@link dev.wakegate.http1.HeadScanner}) and what they find ({@link dev.wakegate.http1.RequestHead},
 * {@link dev.wakegate.http1.ResponseHead}), the body framer that says where a message ends
 * ({@link dev.wakegate.http1.BodyFramer}), and the proxy's own answers
 * ({@link dev.wakegate.http1.ProblemResponses}). Errors are values, never exceptions: a malformed
 * head becomes a 4xx before any byte reaches an upstream.
 */
@NullMarked
package dev.wakegate.http1;

import org.jspecify.annotations.NullMarked;

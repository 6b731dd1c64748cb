/**
 * Holding requests and TCP connections while their containers start: the shared
 * {@link dev.wakegate.park.ParkingLot} cap, the per-request {@link dev.wakegate.park.ParkedRequest}
 * (head, deadline, release on client departure) and the {@link dev.wakegate.park.BrowserNavigation}
 * rule that sends browsers the waiting page instead.
 */
@NullMarked
package dev.wakegate.park;

import org.jspecify.annotations.NullMarked;

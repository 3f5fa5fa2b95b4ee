import CSystemdBus
import HAKitSystem

/// Collects systemd's `JobRemoved` signals on a connection, so that a caller can wait for the
/// job it queued. Created before the job is queued: a job may finish before the method reply
/// that names it is read, and its signal must not be missed.
final class JobWatcher {
    private let connection: BusConnection
    private var slot: OpaquePointer?
    /// Results of the jobs that ended since the watcher was installed, by job object path.
    private var finished: [ObjectPath: JobResult] = [:]

    /// Installs the match (`AddMatch` on a message bus, which answers before this returns).
    init(connection: BusConnection) throws(BusError) {
        self.connection = connection
        // systemd sends JobRemoved to the client that queued the job even without Subscribe().
        let result = connection.sd.sd_bus_match_signal(
            connection.bus, &slot, SystemdManager.destination, SystemdManager.path, SystemdManager.interface,
            "JobRemoved",
            { message, userdata, _ in
                guard let message, let userdata else { return 0 }
                Unmanaged<JobWatcher>.fromOpaque(userdata).takeUnretainedValue().record(message)
                return 0
            },
            Unmanaged.passUnretained(self).toOpaque())
        try connection.sd.check(result, "watching systemd's JobRemoved signal")
    }

    deinit { _ = connection.sd.sd_bus_slot_unref(slot) }

    /// Reads one `JobRemoved(u id, o job, s unit, s result)` signal.
    private func record(_ pointer: OpaquePointer) {
        let message = BusMessage(connection.sd.sd_bus_message_ref(pointer), connection.sd)
        guard (try? message.readUInt32()) != nil, let job = try? message.readString("o"),
            (try? message.readString()) != nil, let result = try? message.readString()
        else { return }
        finished[ObjectPath(rawValue: job)] = JobResult(rawValue: result)
    }

    /// Waits until `job` ends or the monotonic clock reaches `deadlineMilliseconds`; `nil` when
    /// the deadline came first.
    func wait(for job: ObjectPath, deadlineMilliseconds: Int64) throws(BusError) -> JobResult? {
        while true {
            try connection.processPending()
            if let result = finished[job] { return result }
            let remaining = deadlineMilliseconds - MonotonicClock.milliseconds()
            if remaining <= 0 { return nil }
            try connection.wait(timeoutMicroseconds: UInt64(remaining) * 1000)
        }
    }
}

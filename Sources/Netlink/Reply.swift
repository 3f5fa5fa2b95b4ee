import CMnl

#if canImport(Glibc)
import Glibc
#endif

/// What one received message means for the request it answers.
enum Reply: Hashable, Sendable {
    /// A data message (`RTM_NEWLINK`, `RTM_NEWADDR`, ...).
    case data(NetlinkMessage)
    /// The end: an `NLMSG_ERROR` with error 0 (an ack) or an `NLMSG_DONE` closing a dump.
    case done
    /// The kernel refused: a positive errno and its extended-ack text, if any.
    case failure(errno: Int32, extendedAck: String?)
    /// Nothing to act on (`NLMSG_NOOP`).
    case ignored

    /// Classifies a message.
    init(_ message: NetlinkMessage) {
        switch Int32(message.type) {
        case NLMSG_NOOP:
            self = .ignored
        case NLMSG_ERROR:
            // struct nlmsgerr: a negative errno (0 for an ack), then the request's header.
            guard let error = message.familyHeader(nlmsgerr.self) else {
                self = .failure(errno: EBADMSG, extendedAck: nil)
                return
            }
            guard error.error != 0 else {
                self = .done
                return
            }
            // The TLVs follow nlmsgerr, and the echoed request payload too unless the kernel capped it.
            var offset = MemoryLayout<nlmsgerr>.size
            if message.flags & UInt16(NLM_F_CAPPED) == 0 {
                offset += max(0, Int(error.msg.nlmsg_len) - MemoryLayout<nlmsghdr>.size)
            }
            self = .failure(errno: Self.errno(error.error), extendedAck: message.extendedAck(offset: offset))
        case NLMSG_DONE:
            // A dump that failed part way ends with NLMSG_DONE carrying a negative errno.
            let error = message.familyHeader(Int32.self) ?? 0
            self =
                error < 0
                ? .failure(errno: Self.errno(error), extendedAck: message.extendedAck(offset: MemoryLayout<Int32>.size))
                : .done
        case NLMSG_OVERRUN:
            self = .failure(errno: ENOBUFS, extendedAck: nil)
        default:
            self = .data(message)
        }
    }

    /// The errno a kernel error field holds as a negative number; EBADMSG for a value that is none
    /// (positive, or `Int32.min`, which has no positive counterpart).
    private static func errno(_ field: Int32) -> Int32 {
        field < 0 && field != Int32.min ? -field : EBADMSG
    }
}

extension NetlinkMessage {
    /// The `NLMSGERR_ATTR_MSG` text of an extended ack whose TLVs start `offset` bytes into the payload.
    fileprivate func extendedAck(offset: Int) -> String? {
        guard flags & UInt16(NLM_F_ACK_TLVS) != 0 else { return nil }
        return attributes(offset: offset).string(Int(NLMSGERR_ATTR_MSG.rawValue))
    }
}

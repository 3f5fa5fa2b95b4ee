/// A real systemd-journald for tests, started inside a private mount namespace so the host's
/// journal is never written: tmpfs /run and /var/log/journal, volatile storage, no syslog.
public enum PrivateJournal {
    /// journald.conf for the private daemon; write it to `DIR/journald.conf`.
    public static let configuration = "[Journal]\nStorage=volatile\nForwardToSyslog=no\n"

    /// Shell lines that make the mount namespace private, mount the tmpfs, bind `DIR/journald.conf`
    /// (`DIR` being the shell expression given) and start journald, waiting for its socket; its
    /// PID is left in `$journald`. Run them under `unshare --mount --fork sh -c`.
    public static func startScript(configDirectory: String) -> String {
        """
        set -e
        mount --make-rprivate /
        mount -t tmpfs tmpfs /run
        [ -d /var/log/journal ] && mount -t tmpfs tmpfs /var/log/journal
        mount --bind "\(configDirectory)/journald.conf" /etc/systemd/journald.conf
        mkdir -p /run/systemd/journal
        /lib/systemd/systemd-journald & journald=$!
        for i in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done

        """
    }
}

// heartbeat v1: configuration, wire format, membership. Filled by the heartbeat-lite issue.

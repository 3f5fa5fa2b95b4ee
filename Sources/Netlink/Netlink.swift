// rtnetlink over libmnl: filled by the network-agents issue.

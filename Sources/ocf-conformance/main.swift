print("ocf-conformance: not yet")

print("ocf-run")

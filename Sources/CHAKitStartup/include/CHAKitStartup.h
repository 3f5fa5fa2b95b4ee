// Start-up support for hakit-agent: see startup.c. Nothing to call; linking the target is enough.
#ifndef CHAKITSTARTUP_H
#define CHAKITSTARTUP_H
#endif

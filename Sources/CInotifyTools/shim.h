// <inotifytools/inotifytools.h> only forward-declares struct inotify_event: include the kernel
// header first so Swift sees its fields.
#include <sys/inotify.h>
#include <inotifytools/inotifytools.h>

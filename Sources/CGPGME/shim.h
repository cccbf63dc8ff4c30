// libgpgme from Debian's libgpgme-dev (pkg-config name `gpgme`).
#include <gpgme.h>

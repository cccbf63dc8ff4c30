/* hello-unrepro: a tiny program for PackageRebuilder's examples. It is deliberately NOT
 * reproducible: debian/rules passes the build time in nanoseconds as BUILD_STAMP, so every
 * build embeds a different string. */
#include <stdio.h>

#ifndef BUILD_STAMP
#error "BUILD_STAMP must be defined"
#endif

int main(void)
{
    printf("Hello from hello-unrepro %s, built at %s (nanoseconds since the epoch)\n",
           VERSION, BUILD_STAMP);
    return 0;
}

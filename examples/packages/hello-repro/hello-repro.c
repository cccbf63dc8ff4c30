/* hello-repro: a tiny program for PackageRebuilder's examples. It builds reproducibly. */
#include <stdio.h>

int main(void)
{
    printf("Hello from hello-repro %s\n", VERSION);
    return 0;
}

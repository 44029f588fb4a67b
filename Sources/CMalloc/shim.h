// glibc's mallopt and its parameters (the initium tool tunes large-block reuse at start-up).
#include <malloc.h>

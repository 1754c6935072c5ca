#include <zlib.h>

/* inflateInit2 is a macro; Swift sees this function instead. */
static inline int cinflate_init_raw(z_stream *stream) { return inflateInit2(stream, -MAX_WBITS); }

/* deflateInit2 is a macro too: raw deflate (no zlib header), as zip entries hold it. */
static inline int cinflate_deflate_init_raw(z_stream *stream) {
    return deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}

#include "core/telemetry/dmonrowkernel.h"

#include <cstdint>
#include <limits>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TUNEDECK_DMON_AVX512 1
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*(), which its own
// -Wmaybe-uninitialized reports at every use (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

namespace TuneDeck::Telemetry::DmonRowKernel {

#if TUNEDECK_DMON_AVX512

namespace {

// How the kernel works, for a row of at most 128 bytes held in two 64-byte registers:
//  1. byte masks (digit, blank, ':', '-', newline) give the row's length and, as 64-bit masks, where each
//     token starts and ends; a row with any other byte is left to the portable paths;
//  2. VBMI2 compress turns the start and end masks into byte vectors of positions, token by token;
//  3. for each group of 8 tokens, one VBMI byte permute gathers the up-to-8 bytes ending at each token's
//     last byte into that token's 64-bit lane (right-aligned, the bytes before the token zeroed), and
//     multiply-adds turn each lane's digits into its number (the two-step SWAR of simdjson, in vectors);
//  4. "-" tokens become NaN with one blend.
// There is no per-token loop and no data-dependent branch: a 16-token row costs about 100 instructions.

#define TUNEDECK_AVX512_TARGET                                                                                         \
    __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vbmi,avx512vbmi2,bmi,bmi2,popcnt")))

struct alignas(64) Tables
{
    std::uint8_t iotaLo[64]; // 0..63
    std::uint8_t iotaHi[64]; // 64..127
    std::uint8_t tokenOfByte[4][64]; // group g, byte b: token 8g + b/8
    std::uint8_t back[64]; // 7 - b%8: how far before the token's last byte lane byte b comes from
    std::uint8_t laneByte[64]; // b%8
};

constexpr Tables makeTables()
{
    Tables t {};
    for (int b = 0; b < 64; ++b) {
        t.iotaLo[b] = std::uint8_t(b);
        t.iotaHi[b] = std::uint8_t(64 + b);
        for (int g = 0; g < 4; ++g)
            t.tokenOfByte[g][b] = std::uint8_t(8 * g + b / 8);
        t.back[b] = std::uint8_t(7 - b % 8);
        t.laneByte[b] = std::uint8_t(b % 8);
    }
    return t;
}

constexpr Tables tables = makeTables();

TUNEDECK_AVX512_TARGET inline __m512i load(const void* p)
{
    return _mm512_loadu_si512(p);
}

TUNEDECK_AVX512_TARGET inline std::uint64_t digitMask(__m512i v)
{
    return _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
}

// Positions of the set bits of the 128-bit mask (lo, hi), ascending, one per byte.
TUNEDECK_AVX512_TARGET inline __m512i positions(std::uint64_t lo, std::uint64_t hi)
{
    const __m512i iota = load(tables.iotaLo);
    const __m512i fromLo = _mm512_maskz_compress_epi8(lo, iota);
    const __m512i fromHi = _mm512_maskz_compress_epi8(hi, load(tables.iotaHi));
    // Byte i takes fromLo[i] below nLo and fromHi[i - nLo] from there on (index 64 + i - nLo).
    const int nLo = int(_mm_popcnt_u64(lo));
    const __mmask64 upper = _mm512_cmpge_epu8_mask(iota, _mm512_set1_epi8(char(nLo)));
    const __m512i index = _mm512_mask_add_epi8(iota, upper, iota, _mm512_set1_epi8(char(64 - nLo)));
    return _mm512_permutex2var_epi8(fromLo, index, fromHi);
}

} // namespace

TUNEDECK_AVX512_TARGET bool parseAvx512(const char* p, int tokens, bool hasDate, bool hasTime, float* out, Row& row)
{
    const __m512i lo = load(p);
    const __m512i hi = load(p + 64);
    const std::uint64_t nlLo = _mm512_cmpeq_epi8_mask(lo, _mm512_set1_epi8('\n'));
    const std::uint64_t nlHi = _mm512_cmpeq_epi8_mask(hi, _mm512_set1_epi8('\n'));
    int length;
    std::uint64_t inLo, inHi; // bytes of the row, before its '\n'
    if (nlLo) {
        length = int(_tzcnt_u64(nlLo));
        inLo = _bzhi_u64(~std::uint64_t(0), unsigned(length));
        inHi = 0;
    } else if (nlHi) {
        length = 64 + int(_tzcnt_u64(nlHi));
        inLo = ~std::uint64_t(0);
        inHi = _bzhi_u64(~std::uint64_t(0), unsigned(length - 64));
    } else {
        return false;
    }
    const __m512i blank = _mm512_set1_epi8(' ');
    const __m512i colon = _mm512_set1_epi8(':');
    const __m512i dash = _mm512_set1_epi8('-');
    const std::uint64_t digLo = digitMask(lo) & inLo, digHi = digitMask(hi) & inHi;
    const std::uint64_t blankLo = _mm512_cmpeq_epi8_mask(lo, blank) & inLo;
    const std::uint64_t blankHi = _mm512_cmpeq_epi8_mask(hi, blank) & inHi;
    const std::uint64_t colonLo = _mm512_cmpeq_epi8_mask(lo, colon) & inLo;
    const std::uint64_t colonHi = _mm512_cmpeq_epi8_mask(hi, colon) & inHi;
    const std::uint64_t dashLo = _mm512_cmpeq_epi8_mask(lo, dash) & inLo;
    const std::uint64_t dashHi = _mm512_cmpeq_epi8_mask(hi, dash) & inHi;
    if ((digLo | blankLo | colonLo | dashLo) != inLo || (digHi | blankHi | colonHi | dashHi) != inHi)
        return false; // tabs, '\r', "N/A", decimals, ^C debris
    // Colons belong to the time token only (checked below); its two are the row's only ones.
    if (int(_mm_popcnt_u64(colonLo) + _mm_popcnt_u64(colonHi)) != (hasTime ? 2 : 0))
        return false;

    const std::uint64_t tokLo = inLo & ~blankLo, tokHi = inHi & ~blankHi;
    const std::uint64_t startLo = tokLo & ~(tokLo << 1);
    const std::uint64_t startHi = tokHi & ~((tokHi << 1) | (tokLo >> 63));
    const std::uint64_t endLo = tokLo & ~((tokLo >> 1) | (tokHi << 63));
    const std::uint64_t endHi = tokHi & ~(tokHi >> 1);
    const int endsInLo = int(_mm_popcnt_u64(endLo));
    if (endsInLo + int(_mm_popcnt_u64(endHi)) != tokens)
        return false;
    // A '-' must be a token of its own, and is a missing value: one bit per token.
    if (((dashLo & ~(startLo & endLo)) | (dashHi & ~(startHi & endHi))) != 0)
        return false;
    const std::uint64_t missing = _pext_u64(dashLo, endLo) | (_pext_u64(dashHi, endHi) << endsInLo);
    const int lead = (hasDate ? 1 : 0) + (hasTime ? 1 : 0);
    if (missing & ((std::uint64_t(2) << lead) - 1))
        return false; // date, time and GPU index are never "-"

    const __m512i ends = positions(endLo, endHi);
    const __m512i lengths = _mm512_add_epi8(_mm512_sub_epi8(ends, positions(startLo, startHi)), _mm512_set1_epi8(1));
    const __mmask64 used = _bzhi_u64(~std::uint64_t(0), unsigned(tokens));
    if (_mm512_mask_cmpgt_epu8_mask(used, lengths, _mm512_set1_epi8(8)))
        return false; // more than 8 digits: the general path keeps the exact value

    const __m512i back = load(tables.back);
    const __m512i laneByte = load(tables.laneByte);
    const __m512i low4 = _mm512_set1_epi8(0x0F);
    const __m512i tens = _mm512_set1_epi16(0x010A); // bytes 10, 1: the first digit of a pair is the higher one
    const __m512i hundreds = _mm512_set1_epi32(0x00010064); // words 100, 1
    const __m256 nan = _mm256_set1_ps(std::numeric_limits<float>::quiet_NaN());
    std::int64_t leadValues[8];
    for (int g = 0; 8 * g < tokens; ++g) {
        const __m512i tokenOfByte = load(tables.tokenOfByte[g]);
        const __m512i end = _mm512_permutexvar_epi8(tokenOfByte, ends);
        const __m512i len = _mm512_permutexvar_epi8(tokenOfByte, lengths);
        // Lane byte j holds the byte 7 - j before the token's last one, kept where j >= 8 - length.
        const __m512i from = _mm512_subs_epu8(end, back);
        const __mmask64 keep = _mm512_cmpge_epu8_mask(_mm512_add_epi8(len, laneByte), _mm512_set1_epi8(8));
        const __m512i digits = _mm512_and_si512(_mm512_maskz_permutex2var_epi8(keep, lo, from, hi), low4);
        const __m512i pairs = _mm512_maddubs_epi16(digits, tens);
        const __m512i quads = _mm512_madd_epi16(pairs, hundreds);
        const __m512i value
            = _mm512_add_epi64(_mm512_mul_epu32(quads, _mm512_set1_epi64(10000)), _mm512_srli_epi64(quads, 32));
        if (g == 0)
            _mm512_storeu_si512(leadValues, value);
        const __mmask8 dashes = __mmask8(missing >> (8 * g));
        _mm256_storeu_ps(out + 8 * g, _mm256_mask_blend_ps(dashes, _mm512_cvtepi64_ps(value), nan));
    }

    if (hasDate) {
        // The first token, exactly eight digits (no '-' and no ':' can be in it by now).
        if (_mm_extract_epi8(_mm512_castsi512_si128(lengths), 0) != 8)
            return false;
        row.date = int(leadValues[0]);
    }
    if (hasTime) {
        // HH:MM:SS, starting in the first 56 bytes: digits at 0,1,3,4,6,7 (mask 0xDB), colons at 2 and 5.
        const int at = int(_tzcnt_u64(_pdep_u64(std::uint64_t(1) << (lead - 1), startLo)));
        if (at > 55 || ((digLo >> at) & 0xFF) != 0xDB || p[at + 2] != ':' || p[at + 5] != ':')
            return false;
        const auto d = [p, at](int i) { return p[at + i] - '0'; };
        row.timeOfDay = (d(0) * 10 + d(1)) * 3600 + (d(3) * 10 + d(4)) * 60 + d(6) * 10 + d(7);
    }
    if (leadValues[lead] > MaxGpuIndex)
        return false;
    row.gpu = int(leadValues[lead]);
    row.length = length + 1;
    return true;
}

bool supported()
{
    static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2")
        && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
    return yes;
}

bool parse(const char* p, int tokens, bool hasDate, bool hasTime, float* tokenValues, Row& row)
{
    if (tokens > MaxTokens || tokens < 1 + (hasDate ? 1 : 0) + (hasTime ? 1 : 0))
        return false;
    return parseAvx512(p, tokens, hasDate, hasTime, tokenValues, row);
}

#else

bool supported()
{
    return false;
}

bool parse(const char*, int, bool, bool, float*, Row&)
{
    return false;
}

#endif

} // namespace TuneDeck::Telemetry::DmonRowKernel

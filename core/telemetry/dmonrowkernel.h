#pragma once

#include "core/util/coreonly.h"

namespace TuneDeck::Telemetry {

// The fastest path of DmonReader: one whole `[date] [time] gpu value...` row converted with AVX-512
// (VBMI/VBMI2) vector instructions, every token at once, on CPUs that have them (checked at run time; the
// build targets plain x86-64). Anything unusual returns 0 and the reader's portable paths decide, so this
// kernel only has to be right for the rows it accepts.
namespace DmonRowKernel {

// Most tokens a row may have for this kernel (lead columns, GPU index and values).
constexpr int MaxTokens = 32;
// Largest GPU index accepted; anything above is a garbled row rather than a real device.
constexpr int MaxGpuIndex = 1023;
// Bytes the kernel reads from the row's start whatever the row's length; a caller with fewer left in its
// buffer uses the other paths.
constexpr int ReadBytes = 128;

struct Row
{
    int length = 0; // bytes consumed, the '\n' included
    int date = -1; // YYYYMMDD as a number, -1 without a date column
    int timeOfDay = -1; // seconds, -1 without a time column
    int gpu = -1;
};

// Whether this CPU has the instructions; parse() must only be called when it does.
bool supported();

// Parses the row at p (at least ReadBytes readable bytes) with `tokens` whitespace-separated fields: the
// date if hasDate, the time if hasTime, the GPU index, then the values. tokenValues[k] receives field k as a
// float (NaN for "-"), so the values start after the lead fields; it must hold MaxTokens floats. Returns
// false for a row longer than ReadBytes, any byte other than digits, blanks, ':' and '-', a token of more
// than 8 characters, a malformed date, time or GPU index (above MaxGpuIndex), or a token count other than
// `tokens`.
bool parse(const char* p, int tokens, bool hasDate, bool hasTime, float* tokenValues, Row& row);

} // namespace DmonRowKernel

} // namespace TuneDeck::Telemetry

#pragma once

#include "core/util/coreonly.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace TuneDeck::Slurm {

// Slurm's compressed host lists, as squeue %N and sacct NodeList print them: "bask-pg0308u[18-19,25a]"
// is not valid, but "gpu[01-04,07],login1" and "node[1-3]x[1-2]" are (every bracket expands, in order,
// zero padding kept from the lower bound). "None assigned" and "(null)" mean no nodes yet.
// nullopt for text that is not a host list, or one that expands to more than maxHosts names.
std::optional<QStringList> expandHostList(QStringView text, int maxHosts = 10000);

} // namespace TuneDeck::Slurm

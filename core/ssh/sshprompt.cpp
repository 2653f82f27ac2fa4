#include "core/ssh/sshprompt.h"

#include <cstring>

namespace TuneDeck {

void wipeSecret(QByteArray& secret)
{
    if (!secret.isEmpty()) {
        // volatile so the compiler cannot drop the stores as dead (the buffer is freed right after).
        volatile char* bytes = const_cast<char*>(secret.constData());
        for (qsizetype i = 0; i < secret.size(); ++i)
            bytes[i] = 0;
    }
    secret.clear();
}

void wipeSecrets(QList<QByteArray>& secrets)
{
    for (QByteArray& secret : secrets)
        wipeSecret(secret);
    secrets.clear();
}

} // namespace TuneDeck

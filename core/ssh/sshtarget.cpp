#include "core/ssh/sshtarget.h"

namespace TuneDeck {

QString SshTarget::displayName() const
{
    QString name = user % u'@' % host;
    if (port != 22)
        name += u':' % QString::number(port);
    if (!proxyJump.isEmpty())
        name += u" via " % proxyJump;
    return name;
}

} // namespace TuneDeck

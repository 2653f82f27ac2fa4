#include "ui/monitor/chartexport.h"

#include "core/util/atomicfiles.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace TuneDeck::Ui {

QString exportChartImage(QWidget* view, const QString& path)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(view->size());
        svg.setViewBox(QRect(QPoint(0, 0), view->size()));
        svg.setTitle(view->accessibleName());
        svg.setDescription(QStringLiteral("Exported by TuneDeck"));
        QPainter painter(&svg);
        view->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
        painter.end();
    } else if (!view->grab().save(&buffer, "PNG")) {
        return path + QStringLiteral(": the image could not be encoded");
    }
    return writeFilesAtomically({ { path, buffer.data() } });
}

} // namespace TuneDeck::Ui

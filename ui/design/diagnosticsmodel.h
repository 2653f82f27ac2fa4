#pragma once

#include "core/job/diagnostic.h"

#include <QAbstractListModel>

namespace TuneDeck::Ui {

// The design's diagnostics as a list: severity icon, "field: message", the field path as FieldRole
// (a click on a row focuses that field in the form).
class DiagnosticsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { FieldRole = Qt::UserRole + 1, SeverityRole };
    using QAbstractListModel::QAbstractListModel;

    void setDiagnostics(const Diagnostics& diagnostics);
    const Diagnostics& diagnostics() const { return m_diagnostics; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    Diagnostics m_diagnostics;
};

} // namespace TuneDeck::Ui

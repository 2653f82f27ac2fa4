#include "ui/widgets/namedcombobox.h"

#include <QAbstractItemView>
#include <QAccessibleWidget>
#include <QLineEdit>

namespace TuneDeck::Ui {
namespace {

class NamedComboBoxAccessible : public QAccessibleWidget
{
public:
    explicit NamedComboBoxAccessible(QWidget* widget)
        : QAccessibleWidget(widget, QAccessible::ComboBox)
    { }

    QComboBox* comboBox() const { return static_cast<QComboBox*>(widget()); }

    QString text(QAccessible::Text t) const override
    {
        switch (t) {
        case QAccessible::Name:
            return widget()->accessibleName();
        case QAccessible::Value:
            return comboBox()->currentText();
        case QAccessible::Description:
            return widget()->accessibleDescription();
        default:
            return QAccessibleWidget::text(t);
        }
    }

    void setText(QAccessible::Text t, const QString& text) override
    {
        // An assistive tool sets the value as a user would type or pick it.
        if (t != QAccessible::Value)
            return;
        if (comboBox()->isEditable())
            comboBox()->setCurrentText(text);
        else if (const int index = comboBox()->findText(text); index >= 0)
            comboBox()->setCurrentIndex(index);
    }

    QAccessible::State state() const override
    {
        QAccessible::State s = QAccessibleWidget::state();
        s.editable = comboBox()->isEditable();
        s.expandable = true;
        s.expanded = comboBox()->view() && comboBox()->view()->isVisible();
        return s;
    }

    // QAccessibleWidget is already the action interface; a combo box adds "show menu".
    QStringList actionNames() const override { return { showMenuAction(), setFocusAction() }; }
    void doAction(const QString& name) override
    {
        if (name == showMenuAction())
            comboBox()->showPopup();
        else
            QAccessibleWidget::doAction(name);
    }
};

QAccessibleInterface* namedComboBoxFactory(const QString& className, QObject* object)
{
    if (className == QLatin1StringView(NamedComboBox::staticMetaObject.className()) && object->isWidgetType())
        return new NamedComboBoxAccessible(static_cast<QWidget*>(object));
    return nullptr;
}

} // namespace

void installNamedComboBoxAccessibility()
{
    static bool installed = false;
    if (!installed) {
        QAccessible::installFactory(namedComboBoxFactory);
        installed = true;
    }
}

} // namespace TuneDeck::Ui

#pragma once

#include <QComboBox>

namespace TuneDeck::Ui {

// A combo box whose accessible name is its label, as for every other control. On Linux, Qt's own
// accessible combo box reports its current text as the name (it leaves the label to the labelled-by
// relation), so a tool that finds controls by name over AT-SPI would find "a100_40" instead of
// "GPU type". This one reports accessibleName() as the name and the current text as the value.
// installNamedComboBoxAccessibility() must run once, after the QApplication exists.
class NamedComboBox : public QComboBox
{
    Q_OBJECT
public:
    using QComboBox::QComboBox;
};

void installNamedComboBoxAccessibility();

} // namespace TuneDeck::Ui

#pragma once

// core must stay usable by the headless CLI and the tests without a display: no QtGui.
// Core headers include this file, so a GUI include in a core library fails the build at once.
#if defined(QT_GUI_LIB) && defined(TUNEDECK_CORE_NO_GUI)
#error "core/ must not depend on QtGui, QtWidgets or QtCharts"
#endif

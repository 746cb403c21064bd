// The common headers plus the Qt modules of the two apps, for targets that link Qt
// (Qt's flags differ: -fPIC and its keyword macros), see cmake/CyrangePrecompiled.cmake.
#pragma once

#include "common.h"

#include <QtCore>
#include <QtGui>
#include <QtWidgets>

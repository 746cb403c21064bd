// main() of every Qt widget test suite: a QApplication on the offscreen platform
// (which synthesises window activation; bare Xvfb without a window manager does not),
// then GoogleTest.
#include <cstdlib>

#include <QApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  // Unless the caller chose a platform (e.g. xcb to watch a test run), stay off-screen.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  ::testing::InitGoogleTest(&argc, argv);
  QApplication app(argc, argv);
  // Settings and saved tokens go to ~/.qttest, never into the user's real profiles.
  QStandardPaths::setTestModeEnabled(true);
  QApplication::setOrganizationName(QStringLiteral("cyrange-test"));
  return RUN_ALL_TESTS();
}

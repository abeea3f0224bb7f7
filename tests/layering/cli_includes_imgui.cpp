// Must NOT compile: a kiosk subcommand drawing with ImGui (the CLI runs without a window).
#include <imgui.h>

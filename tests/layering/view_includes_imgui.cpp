// Must NOT compile: view building drawing with ImGui (it links no ImGui or GL).
#include <imgui.h>

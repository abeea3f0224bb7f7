// kiosk-hq: the head-office server. Everything is in kiosk_hq_lib; see cli.h.
#include <iostream>

#include "sync/hq/cli/cli.h"

int main(int argc, char** argv) {
  return kiosk::sync::hq::run_cli(argc, argv, std::cout, std::cerr);
}

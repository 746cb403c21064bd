// Replays a fuzz corpus through LLVMFuzzerTestOneInput without libFuzzer, so that
// a g++ build (CI) runs every seed input under the same entry function. Arguments
// are files or directories (read recursively); a crash fails the ctest.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>
#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read corpus file " << file.string()
              << "; check that it exists and is readable.\n";
    return 1;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " FILE_OR_DIRECTORY...\n";
    return 2;
  }
  int inputs = 0, failures = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
        if (entry.is_regular_file()) files.push_back(entry.path());
      std::sort(files.begin(), files.end());  // the same order on every machine
    } else {
      files.push_back(arg);
    }
    for (const auto& file : files) {
      std::cout << "replay " << file.string() << std::endl;  // names the input if it crashes
      failures += replay(file);
      ++inputs;
    }
  }
  std::cout << inputs << " corpus input(s) replayed, " << failures << " unreadable\n";
  return failures == 0 && inputs > 0 ? 0 : 1;
}

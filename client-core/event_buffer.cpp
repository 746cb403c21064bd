// EventBuffer: the durable, bounded on-disk queue of a recording client.
//
// Layout of the buffer directory:
//   client_id   the client's UUID, written once
//   state       the acknowledged watermark ("acked <seq>"), replaced atomically
//   events.log  records [u32 size][u32 checksum][u64 seq][size bytes RecorderEvent]
// Records up to the watermark are garbage; the log is rewritten without them
// once they pass kCompactBytes, after the watermark is fsynced, so a sequence
// number is never handed out twice (the server would take a reused one for a replay).
#include <client-core/recorder_client.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include <cyrange/v1/recorder.pb.h>

#include <client-core/log_sink.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kCompactBytes = 1u << 20;
constexpr std::uint32_t kMaxRecordBytes = 1u << 20;
constexpr std::size_t kWriteChunkBytes = 64u << 10;

std::uint32_t checksum(std::uint64_t seq, std::string_view payload) {
  std::uint32_t h = 2166136261u;  // FNV-1a: cheap, and enough to spot a torn write
  auto mix = [&h](unsigned char c) { h = (h ^ c) * 16777619u; };
  for (int i = 0; i < 8; ++i) mix(static_cast<unsigned char>(seq >> (8 * i)));
  for (char c : payload) mix(static_cast<unsigned char>(c));
  return h;
}

std::string encode_record(std::uint64_t seq, const std::string& payload) {
  std::string out(kHeaderBytes, '\0');
  const auto size = static_cast<std::uint32_t>(payload.size());
  const std::uint32_t sum = checksum(seq, payload);
  std::memcpy(out.data(), &size, 4);
  std::memcpy(out.data() + 4, &sum, 4);
  std::memcpy(out.data() + 8, &seq, 8);
  return out + payload;
}

std::string new_uuid() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(byte(device));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[b[i] >> 4];
    text += kHex[b[i] & 15];
  }
  return text;
}

Error io_error(const std::filesystem::path& path, std::string_view doing) {
  return make_error(ErrorCode::failed_precondition,
                    "Cannot " + std::string(doing) + " the recording buffer file '" +
                        path.string() + "': " + std::strerror(errno) +
                        ". Check that the directory is writable and the disk not full.");
}

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes `content` to `path` through a temporary file and rename; with `durable`
// the file and the directory entry are fsynced.
Status replace_file(const std::filesystem::path& path, const std::string& content, bool durable) {
  const auto tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(tmp, "create");
  bool ok = write_all(fd, content) && (!durable || ::fsync(fd) == 0);
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return io_error(path, "write");
  if (durable) {
    int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
  return Status::success();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

v1::RecorderEvent to_wire(const TraineeEvent& e) {
  v1::RecorderEvent out;
  out.set_exercise_id(e.exercise_id);
  out.set_monotonic_ns(e.monotonic_ns);
  out.set_wall_unix_us(e.wall_unix_us);
  switch (e.kind) {
    case TraineeEventKind::key: {
      auto* k = out.mutable_key();
      k->set_key(e.key);
      k->set_modifiers(e.modifiers);
      k->set_text(e.text);
      k->set_redacted(e.secret);
      k->set_target(e.target);
      break;
    }
    case TraineeEventKind::mouse_move:
      out.mutable_mouse_move()->set_x(e.x);
      out.mutable_mouse_move()->set_y(e.y);
      out.mutable_mouse_move()->set_coalesced(e.count);
      break;
    case TraineeEventKind::click:
      out.mutable_click()->set_x(e.x);
      out.mutable_click()->set_y(e.y);
      out.mutable_click()->set_button(e.count);
      out.mutable_click()->set_modifiers(e.modifiers);
      break;
    case TraineeEventKind::scroll:
      out.mutable_scroll()->set_dx(e.x);
      out.mutable_scroll()->set_dy(e.y);
      break;
    case TraineeEventKind::focus:
      out.mutable_focus()->set_target(e.target);
      break;
    case TraineeEventKind::command:
      out.mutable_command()->set_host(e.target);
      out.mutable_command()->set_line(e.text);
      out.mutable_command()->set_redacted(e.secret);
      break;
    case TraineeEventKind::answer:
      out.mutable_answer()->set_question_id(e.target);
      out.mutable_answer()->set_answer(e.text);
      break;
    case TraineeEventKind::hint:
      out.mutable_hint()->set_hint_id(e.target);
      break;
    case TraineeEventKind::report_edit:
      out.mutable_report_edit()->set_section(e.target);
      out.mutable_report_edit()->set_chars_added(e.count);
      out.mutable_report_edit()->set_chars_removed(e.removed);
      break;
    case TraineeEventKind::idle:
      out.mutable_idle()->set_duration_ms(e.duration_ms);
      break;
  }
  return out;
}

}  // namespace

TraineeEvent redact(TraineeEvent event) {
  const bool carries_typed_text =
      event.kind == TraineeEventKind::key || event.kind == TraineeEventKind::command;
  if (!event.secret || !carries_typed_text) return event;
  event.text.clear();
  // A printable key's name is the character itself; only keys that reveal
  // nothing about the secret keep their name (editing shows effort, not content).
  static constexpr std::string_view kHarmless[] = {
      "Enter", "Return", "Tab", "Backspace", "Delete",  "Escape", "Left", "Right",   "Up",
      "Down",  "Home",   "End", "Shift",     "Control", "Alt",    "Meta", "CapsLock"};
  bool harmless = false;
  for (std::string_view name : kHarmless) harmless = harmless || event.key == name;
  if (!harmless && !event.key.empty()) event.key = "*";
  return event;
}

struct EventBuffer::Impl {
  struct Record {
    std::uint64_t seq;
    std::string payload;
  };

  BufferOptions options;
  std::filesystem::path log_path;
  std::filesystem::path state_path;
  std::string client_id;
  mutable std::mutex mutex;
  int fd = -1;
  std::deque<Record> unacked;
  std::size_t unacked_bytes = 0;
  std::size_t log_bytes = 0;
  std::uint64_t last_seq = 0;
  std::uint64_t acked = 0;
  std::string unwritten;  // appended records not yet handed to the kernel
  bool dirty = false;
  bool warned_full = false;

  // Hands buffered records to the kernel: one write(2) for many events.
  Status flush() {
    if (unwritten.empty()) return Status::success();
    if (!write_all(fd, unwritten)) return io_error(log_path, "append to");
    unwritten.clear();
    return Status::success();
  }

  ~Impl() {
    if (fd >= 0) {
      (void)flush();
      ::close(fd);
    }
  }

  Status open_log() {
    if (fd >= 0) ::close(fd);
    fd = ::open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return io_error(log_path, "open");
    return Status::success();
  }

  // Loads unacknowledged records; cuts a torn or corrupt tail left by a crash.
  Status load_log() {
    const std::string data = read_file(log_path);
    std::size_t pos = 0;
    while (pos + kHeaderBytes <= data.size()) {
      std::uint32_t size = 0, sum = 0;
      std::uint64_t seq = 0;
      std::memcpy(&size, data.data() + pos, 4);
      std::memcpy(&sum, data.data() + pos + 4, 4);
      std::memcpy(&seq, data.data() + pos + 8, 8);
      if (size > kMaxRecordBytes || pos + kHeaderBytes + size > data.size()) break;
      std::string payload = data.substr(pos + kHeaderBytes, size);
      if (checksum(seq, payload) != sum || seq <= last_seq) break;
      last_seq = seq;
      if (seq > acked) {
        unacked_bytes += payload.size();
        unacked.push_back({seq, std::move(payload)});
      }
      pos += kHeaderBytes + size;
    }
    if (pos < data.size()) {
      client_log(LogLevel::warning, "recorder",
                 "Cut " + std::to_string(data.size() - pos) +
                     " bytes of an incomplete record from '" + log_path.string() +
                     "' (left by a crash).");
      if (::truncate(log_path.c_str(), static_cast<off_t>(pos)) != 0)
        return io_error(log_path, "repair");
    }
    log_bytes = pos;
    last_seq = std::max(last_seq, acked);
    return Status::success();
  }

  // Drops acknowledged records from the file. The watermark is made durable first:
  // otherwise a crash could leave neither the records nor the watermark, and
  // sequence numbers would restart below ones the server has stored.
  Status compact() {
    if (Status st = flush(); !st) return st;
    if (Status st = replace_file(state_path, "acked " + std::to_string(acked) + "\n", true); !st)
      return st;
    std::string rest;
    for (const Record& r : unacked) rest += encode_record(r.seq, r.payload);
    if (Status st = replace_file(log_path, rest, true); !st) return st;
    log_bytes = rest.size();
    dirty = false;
    return open_log();
  }
};

EventBuffer::EventBuffer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventBuffer::~EventBuffer() = default;

Expected<std::unique_ptr<EventBuffer>> EventBuffer::open(const BufferOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) {
    return make_error(ErrorCode::failed_precondition,
                      "Cannot create the recording buffer directory '" + options.dir.string() +
                          "': " + ec.message() + ".");
  }
  impl->log_path = options.dir / "events.log";
  impl->state_path = options.dir / "state";
  const auto id_path = options.dir / "client_id";
  std::string id = read_file(id_path);
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  if (id.empty()) {
    id = new_uuid();
    if (Status st = replace_file(id_path, id + "\n", true); !st) return st.error();
  }
  impl->client_id = id;
  std::istringstream state(read_file(impl->state_path));
  std::string word;
  if (state >> word >> impl->acked; word != "acked") impl->acked = 0;
  if (Status st = impl->load_log(); !st) return st.error();
  if (Status st = impl->open_log(); !st) return st.error();
  return std::unique_ptr<EventBuffer>(new EventBuffer(std::move(impl)));
}

const std::string& EventBuffer::client_id() const { return impl_->client_id; }

Expected<std::uint64_t> EventBuffer::append(TraineeEvent event) {
  event = redact(std::move(event));
  if (event.monotonic_ns == 0) {
    event.monotonic_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  }
  if (event.wall_unix_us == 0) {
    event.wall_unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  }
  std::string payload = to_wire(event).SerializeAsString();
  std::lock_guard lock(impl_->mutex);
  if (impl_->unacked_bytes + payload.size() > impl_->options.max_unacked_bytes) {
    if (!impl_->warned_full) {
      impl_->warned_full = true;
      client_log(LogLevel::warning, "recorder",
                 "The recording buffer '" + impl_->options.dir.string() +
                     "' is full; new events are refused until the server acknowledges older "
                     "ones.");
    }
    return make_error(ErrorCode::failed_precondition,
                      "The recording buffer '" + impl_->options.dir.string() + "' is full (" +
                          std::to_string(impl_->unacked.size()) +
                          " events not yet acknowledged by the server); this event was NOT "
                          "recorded. Reconnect to cyranged so the buffer drains. "
                          "記録バッファが満杯のため、この操作は記録されませんでした。");
  }
  const std::uint64_t seq = impl_->last_seq + 1;
  const std::string record = encode_record(seq, payload);
  impl_->unwritten += record;
  if (impl_->unwritten.size() >= kWriteChunkBytes) {
    if (Status st = impl_->flush(); !st) {
      impl_->unwritten.resize(impl_->unwritten.size() - record.size());
      return st.error();
    }
  }
  impl_->last_seq = seq;
  impl_->log_bytes += record.size();
  impl_->unacked_bytes += payload.size();
  impl_->unacked.push_back({seq, std::move(payload)});
  impl_->dirty = true;
  return seq;
}

Status EventBuffer::sync() {
  std::lock_guard lock(impl_->mutex);
  if (Status st = impl_->flush(); !st) return st;
  if (!impl_->dirty) return Status::success();
  if (::fdatasync(impl_->fd) != 0) return io_error(impl_->log_path, "sync");
  impl_->dirty = false;
  return Status::success();
}

Status EventBuffer::acknowledge(std::uint64_t seq) {
  std::lock_guard lock(impl_->mutex);
  seq = std::min(seq, impl_->last_seq);
  if (seq <= impl_->acked) return Status::success();
  impl_->acked = seq;
  while (!impl_->unacked.empty() && impl_->unacked.front().seq <= seq) {
    impl_->unacked_bytes -= impl_->unacked.front().payload.size();
    impl_->unacked.pop_front();
  }
  if (impl_->unacked_bytes * 2 < impl_->options.max_unacked_bytes) impl_->warned_full = false;
  const std::size_t garbage =
      impl_->log_bytes - (impl_->unacked_bytes + kHeaderBytes * impl_->unacked.size());
  const std::size_t live = impl_->log_bytes - garbage;
  if (garbage >= kCompactBytes && garbage >= live) return impl_->compact();
  // Losing this update in a power cut only makes the client resend a little,
  // which the server de-duplicates; hence no fsync here.
  return replace_file(impl_->state_path, "acked " + std::to_string(seq) + "\n", false);
}

EventBuffer::Slice EventBuffer::unacked_after(std::uint64_t after_seq,
                                              std::size_t max_events) const {
  std::lock_guard lock(impl_->mutex);
  Slice slice;
  if (impl_->unacked.empty()) return slice;
  const std::uint64_t front = impl_->unacked.front().seq;
  std::size_t index = after_seq < front ? 0 : static_cast<std::size_t>(after_seq + 1 - front);
  if (index >= impl_->unacked.size()) return slice;
  slice.first_seq = impl_->unacked[index].seq;
  for (; index < impl_->unacked.size() && slice.events.size() < max_events; ++index) {
    slice.events.push_back(impl_->unacked[index].payload);
  }
  return slice;
}

std::uint64_t EventBuffer::last_seq() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_seq;
}

std::uint64_t EventBuffer::acked_seq() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->acked;
}

std::size_t EventBuffer::unacked_bytes() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->unacked_bytes;
}

}  // namespace cyrange::client

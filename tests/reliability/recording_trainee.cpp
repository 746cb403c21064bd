#include <tests/reliability/recording_trainee.h>

#include <client-core/privacy_client.h>

namespace cyrange::reliability {

Expected<std::unique_ptr<RecordingTrainee>> RecordingTrainee::start(
    client::Connection connection, const std::filesystem::path& buffer_dir, std::string exercise,
    std::chrono::milliseconds period) {
  // As the trainee client does: the trainee reads the current scoring consent text
  // and agrees before anything is recorded (the server stores nothing without it).
  auto consent =
      client::PrivacyClient(connection).give_current(exercise, client::ConsentPurpose::scoring);
  if (!consent) return consent.error();
  client::BufferOptions options;
  options.dir = buffer_dir;
  auto buffer = client::EventBuffer::open(options);
  if (!buffer) return buffer.error();
  client::RecorderOptions sender;
  sender.max_backoff = std::chrono::milliseconds(1000);
  auto recorder = std::make_unique<client::RecorderClient>(std::move(connection),
                                                           std::move(buffer).value(), sender);
  return std::unique_ptr<RecordingTrainee>(
      new RecordingTrainee(std::move(recorder), std::move(exercise), period));
}

RecordingTrainee::RecordingTrainee(std::unique_ptr<client::RecorderClient> recorder,
                                   std::string exercise, std::chrono::milliseconds period)
    : recorder_(std::move(recorder)),
      exercise_(std::move(exercise)),
      period_(period),
      client_id_(recorder_->buffer().client_id()),
      thread_([this] { type(); }) {}

RecordingTrainee::~RecordingTrainee() {
  stop_typing();
  recorder_.reset();
}

void RecordingTrainee::stop_typing() {
  typing_ = false;
  if (thread_.joinable()) thread_.join();
}

// Mostly keys, with a command line, a focus change and an idle pause now and then, as
// a trainee at a terminal produces them.
void RecordingTrainee::type() {
  for (std::uint64_t n = 0; typing_; ++n) {
    client::TraineeEvent event;
    event.exercise_id = exercise_;
    if (n % 50 == 49) {
      event.kind = client::TraineeEventKind::command;
      event.target = "mail";
      event.text = "grep -c lure /var/log/mail.log # " + std::to_string(n);
    } else if (n % 50 == 24) {
      event.kind = client::TraineeEventKind::focus;
      event.target = n % 100 == 24 ? "terminal:mail" : "terminal:ws01";
    } else if (n % 50 == 37) {
      event.kind = client::TraineeEventKind::idle;
      event.duration_ms = static_cast<std::uint64_t>(period_.count());
    } else {
      event.kind = client::TraineeEventKind::key;
      event.key = std::string(1, static_cast<char>('a' + n % 26));
      event.text = event.key;
    }
    if (!recorder_->record(std::move(event))) ++refused_;
    std::this_thread::sleep_for(period_);
  }
}

bool RecordingTrainee::wait_until_acked(std::chrono::milliseconds timeout) {
  return recorder_->wait_until_acked(timeout);
}

std::uint64_t RecordingTrainee::recorded() const { return recorder_->buffer().last_seq(); }

std::uint64_t RecordingTrainee::acked() const { return recorder_->buffer().acked_seq(); }

const std::string& RecordingTrainee::client_id() const { return client_id_; }

std::uint64_t RecordingTrainee::connections() const { return recorder_->connections(); }

std::string RecordingTrainee::last_error() const { return recorder_->last_error().message; }

}  // namespace cyrange::reliability

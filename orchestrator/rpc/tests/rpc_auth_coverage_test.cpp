// Every method of every cyrange.v1 service, read from the descriptor pool, is called
// with an empty request and no token: all must answer UNAUTHENTICATED except the two
// public calls, SystemService.Health (OK) and SystemService.Join (INVALID_ARGUMENT for the
// missing code). A new RPC that forgets CallGate::unary() fails here.
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <orchestrator/rpc/tests/rpc_test_support.h>

namespace cyrange::rpc {
namespace {

namespace pb = google::protobuf;

// The only methods that answer without a token, and what they answer to an empty request.
const std::map<std::string, grpc::StatusCode> kPublicMethods = {
    {"cyrange.v1.SystemService.Health", grpc::StatusCode::OK},
    {"cyrange.v1.SystemService.Join", grpc::StatusCode::INVALID_ARGUMENT},
};

struct Method {
  std::string path;  // "/cyrange.v1.SystemService/Health"
  std::optional<grpc::StatusCode> public_answer;
};

// Reads the services from the generated descriptor pool. The test links the whole
// cyrange_proto archive, so every .proto under proto/cyrange/v1 must be in the pool;
// `errors` names any that is not.
std::vector<Method> all_methods(std::string& errors) {
  const pb::DescriptorPool* pool = pb::DescriptorPool::generated_pool();
  const std::filesystem::path proto_root = std::filesystem::path(CYRANGE_SOURCE_DIR) / "proto";
  std::vector<Method> methods;
  for (const auto& entry : std::filesystem::directory_iterator(proto_root / "cyrange" / "v1")) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = "cyrange/v1/" + entry.path().filename().string();
    const pb::FileDescriptor* file = pool->FindFileByName(name);
    if (file == nullptr) {
      errors += name + " is not in the generated descriptor pool; is it part of cyrange_proto?\n";
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const pb::MethodDescriptor* method = service->method(m);
        const auto found = kPublicMethods.find(method->full_name());
        methods.push_back({"/" + service->full_name() + "/" + method->name(),
                           found == kPublicMethods.end()
                               ? std::nullopt
                               : std::optional<grpc::StatusCode>(found->second)});
      }
    }
  }
  return methods;
}

class AuthCoverageTest : public ::testing::TestWithParam<bool> {};

TEST_P(AuthCoverageTest, EveryMethodButHealthRejectsCallsWithoutToken) {
  std::string parse_errors;
  const std::vector<Method> methods = all_methods(parse_errors);
  ASSERT_TRUE(parse_errors.empty()) << parse_errors;
  ASSERT_GE(methods.size(), 3u) << "expected at least the SystemService methods";

  testing::LoopbackServer env;
  ASSERT_EQ(env.start(/*tls=*/GetParam()), "");
  auto options = env.client_options();
  std::shared_ptr<grpc::ChannelCredentials> creds = grpc::InsecureChannelCredentials();
  if (!options.plaintext) {
    grpc::SslCredentialsOptions ssl;
    std::ifstream in(options.ca_file);
    ssl.pem_root_certs.assign(std::istreambuf_iterator<char>(in), {});
    creds = grpc::SslCredentials(ssl);
  }
  grpc::GenericStub stub(grpc::CreateChannel(options.target, creds));

  for (const Method& method : methods) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Slice empty(std::string{});  // zero bytes: the encoding of any empty message
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(&ctx, method.path, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status st) {
                     std::lock_guard lock(mu);
                     status = std::move(st);
                     done = true;
                     cv.notify_one();
                   });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
    if (method.public_answer) {
      EXPECT_EQ(status.error_code(), *method.public_answer)
          << method.path << ": " << status.error_message();
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method.path << " answered " << status.error_code() << " (" << status.error_message()
          << ") to a call without token; register its service in rpc::Server and route the "
             "handler through CallGate::unary().";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, AuthCoverageTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "tls" : "plaintext"; });

}  // namespace
}  // namespace cyrange::rpc

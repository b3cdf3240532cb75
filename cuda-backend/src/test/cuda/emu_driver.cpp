// Runs kernels.cu's kernels on the host: a job file declares float buffers and launches, the driver runs
// them and writes every buffer back (KernelEmulator.java writes the jobs and reads the results).
//
//   emu_driver --list                          prints the kernels it can launch, one a line
//   emu_driver JOB OUTDIR forward|reverse      runs JOB, writes OUTDIR/<id>.bin for every buffer
//
// Job lines:  buffer ID COUNT FILE|nan      (FILE: COUNT little-endian floats; nan: filled with NaN)
//             launch KERNEL BLOCKS THREADS ARG...
// ARG: pID (buffer ID) | p- (null) | iN | lN | fHEXBITS | sBYTES:HEX,HEX,...  (a struct of 32-bit words)
//
// Blocks run in order (reverse: last first); a block's threads are fibers run in order (reverse: last
// first) until each reaches __syncthreads or returns. The test runs every job both ways and requires the
// same bits, so a result that depends on scheduling (a race on shared memory, a missing barrier, blocks
// that depend on each other) fails. Each buffer lies against a PROT_NONE guard page, after its end
// (forward) or before its start (reverse), so an out-of-bounds access faults and names kernel, block
// and thread. A barrier that some threads of a block skip (they returned) is reported as an error.
#include "emu_prelude.h"
#include "kernels.cu"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

uint3 threadIdx, blockIdx;
dim3 blockDim, gridDim;

namespace {

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "emu_driver: %s\n", message.c_str());
    std::exit(2);
}

// ---- buffers between guard pages ----

struct Buffer {
    float* data;
    size_t count;
    char* low;   // guard page below
    char* high;  // guard page above
};

std::vector<Buffer> buffers;
bool reverse = false;
const size_t page = (size_t) sysconf(_SC_PAGESIZE);

Buffer allocate(size_t count) {
    size_t bytes = count * sizeof(float);
    size_t pages = (bytes + page - 1) / page;
    char* base = (char*) mmap(nullptr, (pages + 2) * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) die("mmap failed");
    char* high = base + (pages + 1) * page;
    mprotect(base, page, PROT_NONE);
    mprotect(high, page, PROT_NONE);
    float* data = (float*) (reverse ? base + page : high - bytes);
    return Buffer{data, count, base, high};
}

// ---- fibers: the threads of one block ----

enum State { RUNNABLE, AT_BARRIER, DONE };
struct Fiber {
    ucontext_t context;
    State state;
    std::unique_ptr<char[]> stack;  // left uninitialised: pages are touched only as deep as a thread goes
};
const size_t stackBytes = 64 * 1024;

std::vector<Fiber> fibers;
ucontext_t scheduler;
Fiber* current = nullptr;
const std::function<void()>* body = nullptr;
const char* runningKernel = "(none)";

void fiberMain() {
    (*body)();
    current->state = DONE;  // returning resumes uc_link, the scheduler
}

void runBlock(unsigned threads) {
    while (fibers.size() < threads) {
        fibers.emplace_back();
        fibers.back().stack.reset(new char[stackBytes]);
    }
    for (unsigned t = 0; t < threads; t++) {
        Fiber& f = fibers[t];
        if (getcontext(&f.context) != 0) die("getcontext failed");
        f.context.uc_stack.ss_sp = f.stack.get();
        f.context.uc_stack.ss_size = stackBytes;
        f.context.uc_link = &scheduler;
        makecontext(&f.context, fiberMain, 0);
        f.state = RUNNABLE;
    }
    for (;;) {
        for (unsigned k = 0; k < threads; k++) {
            unsigned t = reverse ? threads - 1 - k : k;
            if (fibers[t].state != RUNNABLE) continue;
            current = &fibers[t];
            threadIdx = uint3{t, 0, 0};
            if (swapcontext(&scheduler, &fibers[t].context) != 0) die("swapcontext failed");
        }
        unsigned waiting = 0, done = 0;
        for (unsigned t = 0; t < threads; t++) {
            waiting += fibers[t].state == AT_BARRIER;
            done += fibers[t].state == DONE;
        }
        if (waiting == 0) return;
        if (done > 0) {
            die(std::string(runningKernel) + ": block " + std::to_string(blockIdx.x) + ": " + std::to_string(done)
                    + " threads returned while " + std::to_string(waiting) + " wait at __syncthreads");
        }
        for (unsigned t = 0; t < threads; t++) fibers[t].state = RUNNABLE;
    }
}

void onFault(int, siginfo_t* info, void*) {
    char* at = (char*) info->si_addr;
    std::string where = "outside every buffer";
    for (size_t i = 0; i < buffers.size(); i++) {
        if (at >= buffers[i].low && at < buffers[i].low + page) where = "before the start of buffer " + std::to_string(i);
        if (at >= buffers[i].high && at < buffers[i].high + page) where = "past the end of buffer " + std::to_string(i);
    }
    std::fprintf(stderr, "emu_driver: %s: invalid memory access %s (block %u, thread %u)\n", runningKernel,
                 where.c_str(), blockIdx.x, threadIdx.x);
    _exit(3);
}

}  // namespace

void __syncthreads() {
    current->state = AT_BARRIER;
    if (swapcontext(&current->context, &scheduler) != 0) die("swapcontext failed");
}

namespace {

// ---- arguments: job tokens converted to the kernel's C++ parameter types ----

struct Args {
    std::string kernel;
    std::vector<std::string> tokens;
    size_t next = 0;

    std::string take(char kind, const char* type) {
        if (next >= tokens.size()) die(kernel + ": too few arguments (" + std::to_string(tokens.size()) + ")");
        const std::string& t = tokens[next++];
        if (t.empty() || t[0] != kind) {
            die(kernel + ": argument " + std::to_string(next - 1) + " is " + type + " in kernels.cu, the launch passed '"
                    + t + "'");
        }
        return t.substr(1);
    }
};

template <class T>
T read(Args& a) {
    if constexpr (std::is_pointer_v<T>) {
        std::string v = a.take('p', "a pointer");
        if (v == "-") return nullptr;
        size_t id = std::stoul(v);
        if (id >= buffers.size()) die(a.kernel + ": no buffer " + v);
        return (T) buffers[id].data;
    } else if constexpr (std::is_same_v<T, int>) {
        return std::stoi(a.take('i', "an int"));
    } else if constexpr (std::is_same_v<T, long long> || std::is_same_v<T, unsigned long long>) {
        return (T) std::stoll(a.take('l', "a 64-bit integer"));
    } else if constexpr (std::is_same_v<T, float>) {
        unsigned bits = (unsigned) std::stoul(a.take('f', "a float"), nullptr, 16);
        return __int_as_float((int) bits);
    } else {
        static_assert(std::is_trivially_copyable_v<T> && sizeof(T) % 4 == 0, "struct parameters hold 32-bit words");
        std::string v = a.take('s', "a struct");
        size_t colon = v.find(':');
        if (std::stoul(v.substr(0, colon)) != sizeof(T)) {
            die(a.kernel + ": struct argument of " + v.substr(0, colon) + " bytes, kernels.cu's is " + std::to_string(sizeof(T)));
        }
        std::vector<unsigned> words;
        std::stringstream in(v.substr(colon + 1));
        for (std::string w; std::getline(in, w, ',');) words.push_back((unsigned) std::stoul(w, nullptr, 16));
        if (words.size() * 4 != sizeof(T)) die(a.kernel + ": struct argument holds " + std::to_string(words.size()) + " words");
        T value;
        std::memcpy(&value, words.data(), sizeof(T));
        return value;
    }
}

using Binder = std::function<std::function<void()>(Args&)>;

template <class... P>
Binder bind(void (*kernel)(P...)) {
    return [kernel](Args& a) {
        std::tuple<P...> values{read<P>(a)...};  // braced: arguments are read left to right
        if (a.next != a.tokens.size()) {
            die(a.kernel + ": " + std::to_string(a.tokens.size()) + " arguments, kernels.cu takes " + std::to_string(sizeof...(P)));
        }
        return std::function<void()>([kernel, values] { std::apply(kernel, values); });
    };
}

#define KERNEL(name) {#name, bind(name)}
const std::map<std::string, Binder> kernels = {
    KERNEL(binary_same), KERNEL(binary_bcast), KERNEL(unary_op), KERNEL(scalar_op), KERNEL(reduce_sum_to),
    KERNEL(copy_along_axis), KERNEL(activation_fwd), KERNEL(activation_bwd),
    KERNEL(max_pool_fwd), KERNEL(avg_pool_fwd), KERNEL(max_pool_bwd), KERNEL(avg_pool_bwd), KERNEL(adaptive_avg_fwd),
    KERNEL(adaptive_avg_bwd), KERNEL(nll_fwd), KERNEL(nll_bwd), KERNEL(dropout_fwd), KERNEL(sgd_step), KERNEL(adam_step),
    KERNEL(gather_rows), KERNEL(scatter_add_rows),
};

void launch(std::istringstream& line) {
    Args a;
    unsigned long long blocks;
    unsigned threads;
    line >> a.kernel >> blocks >> threads;
    auto k = kernels.find(a.kernel);
    if (k == kernels.end()) die("no kernel " + a.kernel);
    if (blocks > 2147483647ULL || threads == 0 || threads > 1024) {
        die(a.kernel + ": invalid launch <<<" + std::to_string(blocks) + ", " + std::to_string(threads) + ">>>");
    }
    for (std::string t; line >> t;) a.tokens.push_back(t);
    std::function<void()> call = k->second(a);
    body = &call;
    runningKernel = k->first.c_str();
    gridDim = dim3{(unsigned) blocks, 1, 1};
    blockDim = dim3{threads, 1, 1};
    for (unsigned long long i = 0; i < blocks; i++) {
        blockIdx = uint3{(unsigned) (reverse ? blocks - 1 - i : i), 0, 0};
        runBlock(threads);
    }
    runningKernel = "(none)";
}

void loadBuffer(std::istringstream& line) {
    size_t id, count;
    std::string file;
    line >> id >> count >> file;
    if (id != buffers.size()) die("buffers must be declared in order 0, 1, ...");
    Buffer b = allocate(count);
    if (file == "nan") {
        for (size_t i = 0; i < count; i++) b.data[i] = NAN;
    } else {
        FILE* in = std::fopen(file.c_str(), "rb");
        if (!in || std::fread(b.data, sizeof(float), count, in) != count) die("cannot read " + file);
        std::fclose(in);
    }
    buffers.push_back(b);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--list") {
        for (const auto& k : kernels) std::printf("%s\n", k.first.c_str());
        return 0;
    }
    if (argc != 4) die("usage: emu_driver --list | JOB OUTDIR forward|reverse");
    reverse = std::string(argv[3]) == "reverse";
    static std::vector<char> altStack(64 * 1024);
    stack_t ss{};
    ss.ss_sp = altStack.data();
    ss.ss_size = altStack.size();
    sigaltstack(&ss, nullptr);
    struct sigaction sa{};
    sa.sa_sigaction = onFault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);

    FILE* job = std::fopen(argv[1], "r");
    if (!job) die(std::string("cannot open ") + argv[1]);
    char raw[1 << 16];
    while (std::fgets(raw, sizeof raw, job)) {
        std::istringstream line(raw);
        std::string command;
        if (!(line >> command)) continue;
        if (command == "buffer") loadBuffer(line);
        else if (command == "launch") launch(line);
        else die("unknown job line: " + command);
    }
    std::fclose(job);
    for (size_t i = 0; i < buffers.size(); i++) {
        std::string path = std::string(argv[2]) + "/" + std::to_string(i) + ".bin";
        FILE* out = std::fopen(path.c_str(), "wb");
        if (!out || std::fwrite(buffers[i].data, sizeof(float), buffers[i].count, out) != buffers[i].count) {
            die("cannot write " + path);
        }
        std::fclose(out);
    }
    return 0;
}

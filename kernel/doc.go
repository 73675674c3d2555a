// Package kernel speaks the Jupyter messaging protocol (version 5.3) over
// ZeroMQ for an Interpreter that knows nothing about the wire.
//
// A front end starts the kernel with a connection file (ReadConnectionFile);
// New binds the five sockets it names (shell, control and stdin as ROUTER,
// IOPub as PUB, heartbeat as REP) and Run serves them until a
// shutdown_request. InstallKernelSpec writes the kernel.json and logos that
// make Jupyter find the kernel.
//
// The wire codec (Decode, Encode, Signer) is pure: it splits frames at the
// <IDS|MSG> delimiter, checks the HMAC-SHA256 signature over the header,
// parent header, metadata and content frames with hmac.Equal, and requires
// each of those frames to be a JSON object. Messages that fail any check, and
// messages of a type the socket does not serve, are logged to
// Options.Logger and dropped: never executed, never answered.
//
// The signature can only be checked once a message has been read whole,
// and zmq4 allocates each frame at the size its header announces, so the
// tcp transport reads the ZMTP frame headers first (frameReader in
// transport.go): a message larger than Options.MaxMessage (64 MiB by
// default) closes its connection before anything is allocated for it,
// with a line in the log, and the kernel serves on. The log says at start
// which limit is in force.
//
// Decisions this package makes where the protocol leaves room:
//
//   - Concurrency. Shell requests are queued and served one at a time in
//     arrival order by one goroutine. Control requests (kernel_info,
//     interrupt, shutdown) are served on their own goroutine, so they are
//     answered while a cell runs. Every served request is framed by
//     status busy and status idle on IOPub with the request as parent.
//     The Interpreter is called under one lock, except Interrupt.
//
//   - execute_request. execution_count goes up only when store_history is
//     true and silent is false. A silent request publishes nothing on IOPub
//     but its status messages (no execute_input, stream, display, result or
//     error), as ipykernel does. Output a cell's goroutines produce after
//     Execute returned is still published, with that cell as parent;
//     Output.Input then fails with ErrCellFinished. An Interpreter panic is
//     reported as an error named KernelPanic instead of killing the kernel.
//
//   - stop_on_error (default true). When a non-silent cell fails, every
//     execute_request already received and still queued when the failing
//     execute_reply is about to be sent is answered with status "aborted"
//     without running (each framed by busy/idle). Other queued requests
//     (complete, inspect, ...) are served normally. Requests arriving later
//     run normally.
//
//   - stdin. Output.Input sends input_request on the stdin socket to the
//     identity that sent the execute_request (Jupyter clients use the same
//     identity on shell and stdin) and waits for input_reply. It fails with
//     ErrStdinNotAllowed when allow_stdin was false, and with ErrInterrupted
//     on interrupt_request, SIGINT (when Options.HandleSIGINT is set) or
//     shutdown.
//
//   - History is kept in memory only, for the life of the process. Entries
//     are [session, line, input] with line the execution_count; session
//     starts at 1. With output true they are [session, line, [input,
//     output]] as the protocol specifies, output being the text/plain of
//     the cell's execute_result or null. tail returns the last n entries; range takes lines
//     start <= line < stop of one session (session <= 0 is relative to the
//     current one, stop <= 0 means no upper bound); search matches the whole
//     input against a glob with * and ?, keeps the latest occurrence of each
//     input when unique, and the last n when n > 0.
//
//   - Restart. ipykernel restarts by replacing the process; here
//     shutdown_request with restart true keeps the process: it interrupts a
//     running cell, waits for it, calls Interpreter.Restart, resets
//     execution_count to 0 and starts history session n+1 (older sessions
//     stay queryable), then replies. Queued shell requests are kept and run
//     on the fresh interpreter. Jupyter's KernelManager, however, restarts
//     by waiting for the process to exit and launching a new one, so a
//     kernel it runs should set Options.ExitOnRestart: then restart true
//     shuts down like restart false.
//
//   - Shutdown. shutdown_request with restart false is accepted on control
//     and on shell: the reply goes to the requester and on IOPub, then Run
//     interrupts a running cell, waits up to Options.ShutdownTimeout for it,
//     calls Interpreter.Close, closes the sockets and returns nil.
//     Cancelling Run's context does the same and returns the context's error.
//
//   - Comms. No comm targets exist: comm_info_request answers an empty
//     comms map, comm_open is answered by comm_close on IOPub, comm_msg and
//     comm_close are ignored. The debugger is not offered (debugger: false).
package kernel

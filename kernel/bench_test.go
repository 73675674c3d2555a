package kernel

import "testing"

// BenchmarkExecuteRoundTrip measures the protocol layer alone: an
// execute_request whose interpreter answers at once, from the client's send
// to its idle status on IOPub (status busy, execute_input, execute_result,
// status idle and the reply: five signed messages).
func BenchmarkExecuteRoundTrip(b *testing.B) {
	tk := startKernel(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := tk.execute("value", nil)
		tk.expectReply(tk.shellCh, id, "execute_reply")
		for {
			m := <-tk.iopubCh
			if parentID(m) == id && m.Header.MsgType == "status" && content(m)["execution_state"] == "idle" {
				break
			}
		}
		<-tk.interp.started
	}
}

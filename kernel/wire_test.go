package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"testing"
	"time"
)

func validFrames(t testing.TB, s Signer) [][]byte {
	t.Helper()
	m, err := NewMessage(NewHeader("execute_request", "sess", "user"), json.RawMessage(`{"msg_id":"p"}`), map[string]any{"code": "1+1"})
	if err != nil {
		t.Fatal(err)
	}
	m.Identities = [][]byte{[]byte("peer-1"), []byte("peer-2")}
	m.Metadata = json.RawMessage(`{"cellId":"c"}`)
	m.Buffers = [][]byte{{0, 1, 2}}
	return Encode(m, s)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	for _, key := range []string{"", "k", "a much longer key with spaces and ünïcode"} {
		s := NewSigner([]byte(key))
		frames := validFrames(t, s)
		m, err := Decode(frames, s)
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		if len(m.Identities) != 2 || string(m.Identities[1]) != "peer-2" {
			t.Errorf("identities = %q", m.Identities)
		}
		if m.Header.MsgType != "execute_request" || m.Header.Session != "sess" || m.Header.Version != ProtocolVersion {
			t.Errorf("header = %+v", m.Header)
		}
		if string(m.ParentHeader) != `{"msg_id":"p"}` || string(m.Metadata) != `{"cellId":"c"}` || string(m.Content) != `{"code":"1+1"}` {
			t.Errorf("frames = %s %s %s", m.ParentHeader, m.Metadata, m.Content)
		}
		if len(m.Buffers) != 1 || !bytes.Equal(m.Buffers[0], []byte{0, 1, 2}) {
			t.Errorf("buffers = %v", m.Buffers)
		}
		// Re-encoding the decoded message gives the same frames.
		again := Encode(m, s)
		if len(again) != len(frames) {
			t.Fatalf("re-encoded %d frames, want %d", len(again), len(frames))
		}
		for i := range frames {
			if !bytes.Equal(again[i], frames[i]) {
				t.Errorf("frame %d: %q != %q", i, again[i], frames[i])
			}
		}
		if key != "" {
			if len(frames[3]) != 64 {
				t.Errorf("signature %q is not 64 hex digits", frames[3])
			}
		} else if len(frames[3]) != 0 {
			t.Errorf("unsigned message has signature %q", frames[3])
		}
	}
}

func TestDecodeMalformed(t *testing.T) {
	s := NewSigner([]byte("key"))
	resign := func(f [][]byte) [][]byte {
		n := len(f) - 5 // index of signature
		f[n] = s.Sign(f[n+1], f[n+2], f[n+3], f[n+4])
		return f
	}
	// validFrames: id, id, delim, sig, header, parent, metadata, content, buffer
	tests := []struct {
		name   string
		frames func() [][]byte
		want   error
	}{
		{"empty", func() [][]byte { return nil }, ErrNoDelimiter},
		{"no delimiter", func() [][]byte { f := validFrames(t, s); return append(f[:2:2], f[3:]...) }, ErrNoDelimiter},
		{"truncated", func() [][]byte { return validFrames(t, s)[:6] }, ErrTooFewFrames},
		{"only delimiter", func() [][]byte { return [][]byte{[]byte(delimiter)} }, ErrTooFewFrames},
		{"wrong signature", func() [][]byte { f := validFrames(t, s); f[3][0] ^= 1; return f }, ErrBadSignature},
		{"non-hex signature", func() [][]byte { f := validFrames(t, s); f[3] = []byte("zz"); return f }, ErrBadSignature},
		{"empty signature", func() [][]byte { f := validFrames(t, s); f[3] = nil; return f }, ErrBadSignature},
		{"other key", func() [][]byte { return validFrames(t, NewSigner([]byte("other"))) }, ErrBadSignature},
		{"tampered content", func() [][]byte { f := validFrames(t, s); f[7] = []byte(`{"code":"rm"}`); return f }, ErrBadSignature},
		{"header not JSON", func() [][]byte { f := validFrames(t, s); f[4] = []byte("{"); return resign(f[:8]) }, ErrBadJSON},
		{"parent not object", func() [][]byte { f := validFrames(t, s); f[5] = []byte("[]"); return resign(f[:8]) }, ErrBadJSON},
		{"metadata null", func() [][]byte { f := validFrames(t, s); f[6] = []byte("null"); return resign(f[:8]) }, ErrBadJSON},
		{"content trailing garbage", func() [][]byte { f := validFrames(t, s); f[7] = []byte("{} {}"); return resign(f[:8]) }, ErrBadJSON},
		{"header wrong types", func() [][]byte { f := validFrames(t, s); f[4] = []byte(`{"msg_type":3}`); return resign(f[:8]) }, ErrBadHeader},
		{"header no msg_type", func() [][]byte { f := validFrames(t, s); f[4] = []byte(`{"msg_id":"x"}`); return resign(f[:8]) }, ErrBadHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(tt.frames(), s)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode error = %v, want %v", err, tt.want)
			}
			if m != nil {
				t.Errorf("Decode returned a message with an error")
			}
		})
	}
}

func TestDecodeEmptyKeyAcceptsAnySignature(t *testing.T) {
	f := validFrames(t, NewSigner([]byte("whatever")))
	if _, err := Decode(f, NewSigner(nil)); err != nil {
		t.Fatal(err)
	}
}

func TestNewHeader(t *testing.T) {
	h := NewHeader("status", "s", "u")
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(h.MsgID) {
		t.Errorf("msg_id %q is not a UUID4", h.MsgID)
	}
	if h.MsgID == NewHeader("status", "s", "u").MsgID {
		t.Error("msg_id repeats")
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`).MatchString(h.Date) {
		t.Errorf("date %q is not RFC3339 with microseconds in UTC", h.Date)
	}
	if _, err := time.Parse(time.RFC3339Nano, h.Date); err != nil {
		t.Error(err)
	}
	if h.Version != "5.3" || h.MsgType != "status" || h.Session != "s" || h.Username != "u" {
		t.Errorf("header = %+v", h)
	}
}

func TestNewMessageRejectsNonObject(t *testing.T) {
	if _, err := NewMessage(NewHeader("x", "s", "u"), nil, []int{1}); err == nil {
		t.Error("NewMessage accepted a list as content")
	}
	if _, err := NewMessage(NewHeader("x", "s", "u"), nil, func() {}); err == nil {
		t.Error("NewMessage accepted a func as content")
	}
}

// FuzzDecode checks that Decode never panics and that whatever it accepts
// re-encodes to frames it accepts again. Frames are joined with a 0xff
// separator byte in the fuzz input. Each input is decoded with the keyed
// signer and with an empty key (which skips the signature check), so the
// fuzzer also reaches the JSON checks without forging HMACs.
func FuzzDecode(f *testing.F) {
	keyed := NewSigner([]byte("fuzz-key"))
	f.Add(joinFrames(validFrames(f, keyed)))
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{0xff})
		for _, s := range []Signer{keyed, NewSigner(nil)} {
			m, err := Decode(frames, s)
			if err != nil {
				if m != nil {
					t.Fatal("message returned with error")
				}
				continue
			}
			if !json.Valid(m.Content) || !json.Valid(m.RawHeader) || m.Header.MsgType == "" {
				t.Fatalf("accepted invalid frames")
			}
			m2, err := Decode(Encode(m, s), s)
			if err != nil {
				t.Fatalf("re-decoding an accepted message: %v", err)
			}
			if m2.Header != m.Header || !bytes.Equal(m2.Content, m.Content) || len(m2.Buffers) != len(m.Buffers) || len(m2.Identities) != len(m.Identities) {
				t.Fatalf("round trip changed the message")
			}
		}
	})
}

func joinFrames(frames [][]byte) []byte { return bytes.Join(frames, []byte{0xff}) }

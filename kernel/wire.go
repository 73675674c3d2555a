package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the Jupyter messaging protocol version this kernel
// speaks; it goes in every header and in kernel_info_reply.
const ProtocolVersion = "5.3"

// delimiter separates routing identities from the signed message frames.
const delimiter = "<IDS|MSG>"

// Errors returned by Decode, wrapped with detail. Use errors.Is.
var (
	ErrNoDelimiter  = errors.New("no <IDS|MSG> delimiter")
	ErrTooFewFrames = errors.New("too few frames after delimiter")
	ErrBadSignature = errors.New("bad message signature")
	ErrBadJSON      = errors.New("invalid JSON frame")
	ErrBadHeader    = errors.New("invalid message header")
)

// Header is a Jupyter message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message.
type Message struct {
	// Identities are the routing frames before the delimiter (ROUTER
	// peers) or the topic (IOPub).
	Identities [][]byte
	// Header is the parsed header; RawHeader is its exact JSON, kept so a
	// reply can carry it verbatim (unknown fields included) as its parent.
	Header    Header
	RawHeader json.RawMessage
	// ParentHeader, Metadata and Content are JSON objects, never nil
	// after Decode.
	ParentHeader json.RawMessage
	Metadata     json.RawMessage
	Content      json.RawMessage
	// Buffers are the extra binary frames after content.
	Buffers [][]byte
}

// Signer computes and checks HMAC-SHA256 signatures. A Signer with an
// empty key signs with the empty string and accepts any signature, as
// Jupyter does when authentication is off.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer for key.
func NewSigner(key []byte) Signer {
	return Signer{key: bytes.Clone(key)}
}

// Sign returns the hex signature of the four signed frames.
func (s Signer) Sign(header, parent, metadata, content []byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, s.key)
	mac.Write(header)
	mac.Write(parent)
	mac.Write(metadata)
	mac.Write(content)
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// Verify reports whether sig is the signature of the four frames.
func (s Signer) Verify(sig, header, parent, metadata, content []byte) bool {
	if len(s.key) == 0 {
		return true
	}
	got := make([]byte, hex.DecodedLen(len(sig)))
	if _, err := hex.Decode(got, sig); err != nil {
		return false
	}
	mac := hmac.New(sha256.New, s.key)
	mac.Write(header)
	mac.Write(parent)
	mac.Write(metadata)
	mac.Write(content)
	return hmac.Equal(got, mac.Sum(nil))
}

// Decode splits a multipart ZeroMQ message into a Message, checking the
// signature and that every JSON frame is a JSON object. It never panics
// and never retains frames beyond the returned Message.
func Decode(frames [][]byte, s Signer) (*Message, error) {
	delim := -1
	for i, f := range frames {
		if string(f) == delimiter {
			delim = i
			break
		}
	}
	if delim < 0 {
		return nil, ErrNoDelimiter
	}
	rest := frames[delim+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: have %d, need 5", ErrTooFewFrames, len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if !s.Verify(sig, header, parent, metadata, content) {
		return nil, ErrBadSignature
	}
	m := &Message{}
	for i, f := range []struct {
		name string
		data []byte
		dst  *json.RawMessage
	}{
		{"header", header, &m.RawHeader},
		{"parent_header", parent, &m.ParentHeader},
		{"metadata", metadata, &m.Metadata},
		{"content", content, &m.Content},
	} {
		if !isJSONObject(f.data) {
			return nil, fmt.Errorf("%w: %s (frame %d) is not a JSON object", ErrBadJSON, f.name, delim+2+i)
		}
		*f.dst = json.RawMessage(bytes.Clone(f.data))
	}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadHeader, err)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: no msg_type", ErrBadHeader)
	}
	for _, id := range frames[:delim] {
		m.Identities = append(m.Identities, bytes.Clone(id))
	}
	for _, b := range rest[5:] {
		m.Buffers = append(m.Buffers, bytes.Clone(b))
	}
	return m, nil
}

// isJSONObject reports whether data is exactly one valid JSON object.
func isJSONObject(data []byte) bool {
	if !json.Valid(data) {
		return false
	}
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// Encode turns a Message into frames ready to send, signing it. Nil
// ParentHeader, Metadata or Content are sent as {}.
func Encode(m *Message, s Signer) [][]byte {
	obj := func(r json.RawMessage) []byte {
		if len(r) == 0 {
			return []byte("{}")
		}
		return r
	}
	header, parent, metadata, content := obj(m.RawHeader), obj(m.ParentHeader), obj(m.Metadata), obj(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(delimiter), s.Sign(header, parent, metadata, content), header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	return frames
}

// NewHeader returns a header for a new message of msgType in session.
func NewHeader(msgType, session, username string) Header {
	return Header{
		MsgID:    newID(),
		Session:  session,
		Username: username,
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// newID returns a random UUID version 4 string from crypto/rand.
func newID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails on supported platforms.
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// NewMessage builds a message with a fresh header, the given parent header
// (raw JSON, may be nil) and content marshalled to JSON.
func NewMessage(h Header, parent json.RawMessage, content any) (*Message, error) {
	rawHeader, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encoding %s header: %w", h.MsgType, err)
	}
	rawContent, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encoding %s content: %w", h.MsgType, err)
	}
	if !isJSONObject(rawContent) {
		return nil, fmt.Errorf("encoding %s content: not a JSON object", h.MsgType)
	}
	return &Message{Header: h, RawHeader: rawHeader, ParentHeader: parent, Content: rawContent}, nil
}

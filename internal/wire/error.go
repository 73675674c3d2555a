package wire

// Error is a failed cell, in the shape front ends show.
type Error struct {
	Name      string   `json:"name"`
	Message   string   `json:"message"`
	Traceback []string `json:"traceback,omitempty"`
}

// Error returns the name and the message.
func (e *Error) Error() string { return e.Name + ": " + e.Message }

package greet

import "testing"

func TestHello(t *testing.T) {
	if got := Hello(""); got != "Hello, world!" {
		t.Fatalf("Hello(\"\") = %q", got)
	}
	if got := Hello("go"); got != "Hello, go!" {
		t.Fatalf("Hello(\"go\") = %q", got)
	}
}

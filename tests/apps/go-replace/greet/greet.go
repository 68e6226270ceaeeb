// Package greet builds the service's greeting; it is a module of its own, used through a
// `replace` directive in the main module's go.mod.
package greet

import "fmt"

// Hello greets name, or the world when name is empty.
func Hello(name string) string {
	if name == "" {
		name = "world"
	}
	return fmt.Sprintf("Hello, %s!", name)
}

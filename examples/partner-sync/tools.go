//go:build tools

// The code generator, pinned in go.mod with the rest.
package main

import _ "github.com/Khan/genqlient"

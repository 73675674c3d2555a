package grade

import "github.com/lanes-dev/lanes/display"

type displayBundle = display.Bundle

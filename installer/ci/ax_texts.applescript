-- Prints the accessible texts (name, description, value) of every window of the processes whose
-- name contains the given word, one per line. Used by installer/ci/agent_shows_code.py on the
-- macOS CI runner:  osascript installer/ci/ax_texts.applescript fernhilfe-agent-example-it-service
-- System Events needs the Accessibility permission for osascript (the workflow grants it on the
-- runner; on your own Mac: System Settings > Privacy & Security > Accessibility).
on run argv
	set wanted to item 1 of argv
	set found to {}
	tell application "System Events"
		repeat with proc in (every process whose name contains wanted)
			repeat with win in (every window of proc)
				try
					set end of found to (name of win as text)
				end try
				repeat with element in (entire contents of win)
					try
						set end of found to (name of element as text)
					end try
					try
						set end of found to (description of element as text)
					end try
					try
						set end of found to (value of element as text)
					end try
				end repeat
			end repeat
		end repeat
	end tell
	set AppleScript's text item delimiters to linefeed
	return found as text
end run

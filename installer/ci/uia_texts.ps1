# Prints the accessible texts (UI Automation names) of every window of one program, one per line.
# Used by installer/ci/agent_shows_code.py on the Windows CI runner; needs nothing beyond the
# UIAutomationClient assembly that ships with Windows' .NET Framework.
#   powershell -NoProfile -File installer\ci\uia_texts.ps1 -ProcessName fernhilfe-agent-example-it-service
# A one-file build runs as two processes of the same name (PyInstaller's launcher and the program):
# the windows of both are read.
param([Parameter(Mandatory = $true)][string]$ProcessName)
Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
Add-Type -AssemblyName UIAutomationClient
Add-Type -AssemblyName UIAutomationTypes

$ids = @(Get-Process -Name $ProcessName -ErrorAction SilentlyContinue | ForEach-Object { $_.Id })
if ($ids.Count -eq 0) { exit 0 }
$auto = [System.Windows.Automation.AutomationElement]
$scope = [System.Windows.Automation.TreeScope]
$all = [System.Windows.Automation.Condition]::TrueCondition
foreach ($window in $auto::RootElement.FindAll($scope::Children, $all)) {
    if ($ids -notcontains $window.Current.ProcessId) { continue }
    $window.Current.Name
    foreach ($element in $window.FindAll($scope::Descendants, $all)) {
        $element.Current.Name
        $pattern = $null
        if ($element.TryGetCurrentPattern([System.Windows.Automation.ValuePattern]::Pattern,
                                          [ref]$pattern)) {
            $pattern.Current.Value
        }
    }
}

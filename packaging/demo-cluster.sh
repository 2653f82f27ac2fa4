#!/bin/bash
# Points TuneDeck at the running mini-Baskerville (tests/cluster/minibask up), the way a researcher
# points it at Baskerville: an ~/.ssh/config entry, a cluster profile and a job spec.
#   packaging/demo-cluster.sh        writes them (idempotent) and prints what to try
# The profile and the spec are ordinary user files; delete them to undo.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(tests/cluster/minibask env)"

alias_name=mini-baskerville
ssh_config="$HOME/.ssh/config"
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
if ! grep -q "^Host $alias_name\$" "$ssh_config" 2>/dev/null; then
    cat >> "$ssh_config" <<SSH

# Added by TuneDeck's packaging/demo-cluster.sh: the local demo cluster (key + one-time code).
Host $alias_name
    HostName $MINIBASK_HOST
    Port $MINIBASK_PORT
    User $MINIBASK_USER
    IdentityFile $MINIBASK_KEY
    UserKnownHostsFile $MINIBASK_KNOWN_HOSTS
SSH
    chmod 600 "$ssh_config"
fi

profiles="${XDG_CONFIG_HOME:-$HOME/.config}/TuneDeck/tunedeck/profiles"
mkdir -p "$profiles"
project_root="${MINIBASK_PROJECT_DIR%/*/*}" # .../bask/projects
sed -e "s|^name: baskerville|name: $alias_name|" \
    -e "s|^display_name: Baskerville|display_name: mini-Baskerville (local demo)|" \
    -e "s|  host: login.baskerville.ac.uk|  host: $alias_name|" \
    -e "s|^project_path_pattern: .*|project_path_pattern: $project_root/{project0}/{project}|" \
    resources/profiles/baskerville.yaml > "$profiles/$alias_name.yaml"

spec_dir="$HOME/tunedeck-demo"
mkdir -p "$spec_dir"
cat > "$spec_dir/walkthrough.yaml" <<SPEC
# The walkthrough's job (Llama 3 70B, LoRA, FSDP on 4 x 4 A100-40), for the demo cluster.
profile: $alias_name
slurm:
  account: $MINIBASK_ACCOUNT
  qos: $MINIBASK_QOS
  job_name: llama3-70b-ft
  time: "0:20:00"
environment:
  llama_factory_dir: $MINIBASK_LLAMA_FACTORY_DIR
  venv: $MINIBASK_VENV
training:
  dataset_examples: 981
  save_steps: 5
SPEC

cat <<TRY
Demo cluster ready for TuneDeck:
  ssh alias      $alias_name  (in $ssh_config)
  profile        $profiles/$alias_name.yaml
  job spec       $spec_dir/walkthrough.yaml
  one-time code  oathtool --totp -b \$(cat $MINIBASK_TOTP_SECRET_FILE)
Try:
  tunedeck render --spec $spec_dir/walkthrough.yaml --out $spec_dir/files
  tunedeck connect $alias_name
  tunedeck submit --spec $spec_dir/walkthrough.yaml --cluster $alias_name
  tunedeck jobs --watch
TRY

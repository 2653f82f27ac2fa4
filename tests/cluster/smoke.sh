#!/usr/bin/env bash
# Smoke test of the mini-Baskerville cluster: issue 3's "Done when", against a running cluster
# (`tests/cluster/minibask up` first; this test fails, never skips, when it is not up).
#   - sinfo shows the six nodes with their GPUs and features
#   - OpenSSH's own client logs in with the key plus an oathtool code, and is refused without the code
#   - the walkthrough's batch script (placeholders filled, --constraint/--output added) completes on
#     4 nodes with one accelerate rank per node, and its dmon.txt has the driver's layout
#   - a --time 0:01:00 job ends TIMEOUT in sacct with Slurm's "DUE TO TIME LIMIT" line in its output
#   - a wrong account / QoS / constraint / memory request gets Slurm's real error
# Registered in ctest as cluster_smoke (label "cluster").
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAILURES=0
pass() { printf 'PASS  %s\n' "$*"; }
fail() {
    printf 'FAIL  %s\n' "$*"
    FAILURES=$((FAILURES + 1))
}
fatal() {
    printf 'FAIL  %s\n' "$*"
    exit 1
}

"$HERE/minibask" status >/dev/null 2>&1 || fatal "the cluster is not up: run '$HERE/minibask up' first"
ENV_TEXT=$("$HERE/minibask" env) || fatal "minibask env failed"
eval "$ENV_TEXT"
export SLURM_CONF
for v in MINIBASK_HOST MINIBASK_PORT MINIBASK_KEYONLY_PORT MINIBASK_USER MINIBASK_KEY MINIBASK_KNOWN_HOSTS \
    MINIBASK_TOTP_SECRET_FILE MINIBASK_ACCOUNT MINIBASK_QOS MINIBASK_PROJECT_DIR MINIBASK_HOME; do
    [[ -n ${!v:-} ]] || fatal "minibask env lacks $v"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RUN_ID=smoke-$(date +%Y%m%d-%H%M%S)-$$
RDIR=$MINIBASK_HOME/$RUN_ID # the test user's folder for this run's scripts and outputs

# SSH_ASKPASS answers OpenSSH's keyboard-interactive prompt non-interactively.
cat >"$WORK/askpass" <<EOF
#!/bin/sh
case "\$1" in
*erification*) [ -n "\${SMOKE_WRONG_CODE:-}" ] && echo 000000 || oathtool --totp -b "\$(cat '$MINIBASK_TOTP_SECRET_FILE')" ;;
*) exit 1 ;;
esac
EOF
chmod 700 "$WORK/askpass"
SSH_COMMON=(-o StrictHostKeyChecking=yes -o UserKnownHostsFile="$MINIBASK_KNOWN_HOSTS" -o IdentitiesOnly=yes
    -o IdentityFile="$MINIBASK_KEY" -o ConnectTimeout=10 -o LogLevel=ERROR -l "$MINIBASK_USER")
ssh_totp() { # key + one-time code, as on Baskerville
    env -u DISPLAY SSH_ASKPASS="$WORK/askpass" SSH_ASKPASS_REQUIRE=force setsid -w \
        ssh "${SSH_COMMON[@]}" -o BatchMode=no -o NumberOfPasswordPrompts=1 -p "$MINIBASK_PORT" "$MINIBASK_HOST" "$@"
}
ssh_key() { ssh "${SSH_COMMON[@]}" -o BatchMode=yes -p "$MINIBASK_KEYONLY_PORT" "$MINIBASK_HOST" "$@"; }

# --- 1. sinfo -------------------------------------------------------------------------------------
check_sinfo() {
    local out line ok=1
    out=$(sinfo -h -N -o '%N|%G|%f|%c|%m|%t') || {
        fail "sinfo failed"
        return
    }
    [[ $(wc -l <<<"$out") -eq 6 ]] || ok=0
    for n in 01 02 03 04; do
        line=$(grep "^bask-pg$n|" <<<"$out") || ok=0
        [[ $line == "bask-pg$n|gpu:a100_40:4|a100_40|72|"* ]] || ok=0
    done
    for n in 05 06; do
        line=$(grep "^bask-pg$n|" <<<"$out") || ok=0
        [[ $line == "bask-pg$n|gpu:a100_80:4|a100_80|72|"* ]] || ok=0
    done
    awk -F'|' '$5 < 491520 || $6 ~ /(down|drain|unk|\*)/ {bad=1} END {exit bad}' <<<"$out" || ok=0
    if ((ok)); then pass "sinfo: bask-pg01-04 gpu:a100_40:4, bask-pg05-06 gpu:a100_80:4, 72 CPUs, >= 491520 MB"; else
        fail "sinfo shows unexpected nodes:"$'\n'"$out"
    fi
}

# --- 2. SSH -------------------------------------------------------------------------------------
check_ssh() {
    local out
    out=$(ssh_totp 'echo "login-ok $(id -un)"' </dev/null 2>&1)
    if [[ $out == *"login-ok $MINIBASK_USER"* ]]; then pass "ssh: key + TOTP code accepted"; else
        fail "ssh with key + TOTP code did not log in: $out"
    fi
    if out=$(SMOKE_WRONG_CODE=1 ssh_totp true </dev/null 2>&1); then fail "ssh accepted a wrong code"; else
        [[ $out == *"Permission denied"* ]] && pass "ssh: wrong code refused" || fail "ssh wrong code: $out"
    fi
    if out=$(ssh "${SSH_COMMON[@]}" -o BatchMode=yes -p "$MINIBASK_PORT" "$MINIBASK_HOST" true </dev/null 2>&1); then
        fail "ssh logged in without a code"
    else
        [[ $out == *"Permission denied"* ]] && pass "ssh: refused without the code" || fail "ssh without code: $out"
    fi
    out=$(ssh_key 'echo "keyonly-ok $(id -un)"' </dev/null 2>&1)
    [[ $out == *"keyonly-ok $MINIBASK_USER"* ]] && pass "ssh: key-only port" || fail "key-only port: $out"
    # ssh takes the first value of an option: the empty known_hosts must come before SSH_COMMON's.
    if out=$(ssh -o UserKnownHostsFile=/dev/null "${SSH_COMMON[@]}" -o BatchMode=yes -p "$MINIBASK_KEYONLY_PORT" \
        "$MINIBASK_HOST" true </dev/null 2>&1); then
        fail "ssh connected to an unknown host key with StrictHostKeyChecking=yes"
    else
        [[ $out == *"Host key verification failed"* ]] && pass "ssh: unknown host key refused" ||
            fail "unknown host key: $out"
    fi
}

# --- jobs ---------------------------------------------------------------------------------------
SINCE=$(date +%Y-%m-%dT%H:%M:%S)
# -S: job ids restart when the controller's state is wiped, the accounting database keeps the old ones.
job_state() { sacct -n -X -P -S "$SINCE" -j "$1" -o State 2>/dev/null | tail -n1; }
wait_job() { # id deadline_seconds -> prints the final state
    local end=$((SECONDS + $2)) st
    while ((SECONDS < end)); do
        st=$(job_state "$1")
        case $st in
        COMPLETED | FAILED | TIMEOUT | CANCELLED* | OUT_OF_MEMORY | NODE_FAIL | PREEMPTED | BOOT_FAIL | DEADLINE)
            echo "$st"
            return 0
            ;;
        esac
        sleep 2
    done
    echo "${st:-UNKNOWN} (still not finished after $2 s)"
}

submit() { # remote sbatch arguments... (reads a script on stdin when the last one is -)
    ssh_key "cd '$RDIR' && sbatch --parsable $*" 2>&1
}

ssh_key "mkdir -p '$RDIR'" </dev/null || fatal "cannot create $RDIR over ssh"

# The TIMEOUT job costs a minute or two: submit it first, check the rest meanwhile.
TIMEOUT_ID=$(submit --account "$MINIBASK_ACCOUNT" --qos "$MINIBASK_QOS" --time 0:01:00 --nodes 1 \
    --constraint a100_80 --gpus-per-node 1 --job-name smoke-timeout --output "'$RDIR/timeout-%j.out'" \
    --wrap "'echo started on \$SLURMD_NODENAME; sleep 600'" </dev/null)
[[ $TIMEOUT_ID =~ ^[0-9]+$ ]] || fail "submitting the --time 0:01:00 job: $TIMEOUT_ID"

# The walkthrough's script (shared/seeds/000...: section 6.1) with its placeholders filled and
# --constraint/--output added; submitted over the key + code login, as a user would.
sed -e "s|<PROJECT_ID>|$MINIBASK_ACCOUNT|g" -e "s|<PROJECT_PATH>|$MINIBASK_PROJECT_DIR|g" >"$WORK/batch.sh" <<'EOF'
#!/bin/bash
#SBATCH --qos turing
#SBATCH --account <PROJECT_ID>
#SBATCH --time 3:00:0
#SBATCH --nodes 4
#SBATCH --gpus-per-node 4
#SBATCH --ntasks-per-node 1
#SBATCH --mem 491520
#SBATCH --job-name llama3-70b-ft
#SBATCH --constraint a100_40
#SBATCH --output @RDIR@/stdout-%j.out

# Execute using:
# sbatch batch-llama3-70b-ft.sh

module purge
module load baskerville
module load bask-apps/live
module load PyTorch/2.1.2-foss-2022b-CUDA-11.8.0

VENV_PATH="./venv"

pushd <PROJECT_PATH>/llama-factory/LLaMA-Factory

if [ -d "$VENV_PATH" ]; then
    echo "Virtual environment exists, activating"
    . "${VENV_PATH}"/bin/activate
else
    echo "Creating and activating virtual environment"
    python3 -m venv "${VENV_PATH}"
    . "${VENV_PATH}"/bin/activate
    echo "Installing requirements"
    pip install pip --upgrade
    pip install -r requirements.txt
    pip install -e ".[torch,metrics]"
    pip install --upgrade huggingface_hub
fi

export PRIMARY_PORT=12340
export PRIMARY_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
export NUM_PROCESSES=$((${SLURM_JOB_NUM_NODES}*${SLURM_GPUS_PER_NODE}))

echo
echo "######################################"
echo "Starting"
echo "######################################"
echo

# Track GPU metrics
stdbuf -o0 nvidia-smi dmon -o TD -s puct -d 1 > @RDIR@/dmon.txt &

# Track CPU metrics
stdbuf -o0 vmstat -t 1 -y > @RDIR@/cpu.txt &

# Run the task
srun bash -c \
    'accelerate launch \
    --config_file ../config_node02gpu04.yaml \
    --main_process_ip ${PRIMARY_ADDR} \
    --main_process_port ${PRIMARY_PORT} \
    --machine_rank ${SLURM_PROCID} \
    --num_processes ${NUM_PROCESSES} \
    --num_machines ${SLURM_JOB_NUM_NODES} \
    src/train.py examples/train_lora/llama3_lora_sft_70b.yaml'

echo
echo "######################################"
echo "Done"
echo "######################################"
echo

echo "Deactivating virtual environment"
deactivate
EOF
# dmon.txt/cpu.txt go to this run's folder (the walkthrough writes them next to the checkout), so parallel
# runs do not share them.
sed -i "s|@RDIR@|$RDIR|g" "$WORK/batch.sh"
printf '0.3\n' >"$WORK/speed"
ssh_key "cat > '$RDIR/speed'" <"$WORK/speed" || fail "cannot write the speed file"
ssh_totp "cat > '$RDIR/batch-llama3-70b-ft.sh'" <"$WORK/batch.sh" || fail "cannot copy the batch script"
WALK_OUT=$(ssh_totp "cd '$RDIR' && MINIBASK_SPEED_FILE='$RDIR/speed' sbatch batch-llama3-70b-ft.sh" </dev/null 2>&1)
WALK_ID=$(sed -n 's/^Submitted batch job \([0-9]*\)$/\1/p' <<<"$WALK_OUT")
[[ -n $WALK_ID ]] || fail "submitting the walkthrough's script: $WALK_OUT"

check_sinfo
check_ssh

# --- 5. Slurm's own errors ----------------------------------------------------------------------
check_error() { # description expected-text sbatch-args...
    local what=$1 want=$2 out
    shift 2
    out=$(ssh_key "sbatch --time 1 --wrap true $*" </dev/null 2>&1)
    if [[ $out == *"$want"* ]]; then pass "$what: \"$want\""; else fail "$what: expected \"$want\", got: $out"; fi
}
check_error "wrong account" "Invalid account or account/partition combination specified" \
    --account vjgo8416-other --qos "$MINIBASK_QOS"
check_error "unknown account" "Invalid account or account/partition combination specified" \
    --account no-such-project --qos "$MINIBASK_QOS"
check_error "wrong QoS" "Invalid qos specification" --account "$MINIBASK_ACCOUNT" --qos no-such-qos
check_error "wrong constraint" "Invalid feature specification" --account "$MINIBASK_ACCOUNT" --qos turing -C a100-80
check_error "too much memory" "Requested node configuration is not available" \
    --account "$MINIBASK_ACCOUNT" --qos turing --mem 600000

# --- 3. the walkthrough's job -------------------------------------------------------------------
if [[ -n $WALK_ID ]]; then
    st=$(wait_job "$WALK_ID" 240)
    out=$RDIR/stdout-$WALK_ID.out
    if [[ $st == COMPLETED ]]; then pass "walkthrough job $WALK_ID: COMPLETED"; else
        fail "walkthrough job $WALK_ID: $st"
        tail -n 30 "$out" 2>/dev/null | tr '\r' '\n' | tail -n 30
    fi
    steps=$(sacct -n -P -S "$SINCE" -j "$WALK_ID.0" -o NNodes,NTasks,State 2>/dev/null | tail -n1)
    [[ $steps == "4|4|COMPLETED" ]] && pass "srun step: 4 nodes, 4 tasks (one accelerate per node)" ||
        fail "srun step of $WALK_ID: '$steps' (want 4|4|COMPLETED)"
    nodes=$(sacct -n -X -P -S "$SINCE" -j "$WALK_ID" -o NodeList,AllocTRES 2>/dev/null | tail -n1)
    [[ $nodes == "bask-pg[01-04]|"*"gres/gpu=16"* ]] && pass "allocation: $nodes" ||
        fail "allocation of $WALK_ID: $nodes"
    text=$(tr '\r' '\n' <"$out" 2>/dev/null)
    ranks_ok=1
    for r in 0 4 8 12; do # the first process of each of the 4 machines (machine ranks 0..3)
        grep -q "Process rank: $r, world size: 16" <<<"$text" || ranks_ok=0
    done
    ((ranks_ok)) && pass "machine ranks 0..3 joined (16 processes)" || fail "not every rank started: see $out"
    for want in "Virtual environment exists, activating" "***** Running training *****" \
        "Total train batch size (w. parallel, distributed & accumulation) = 128" "Total optimization steps = 21" \
        "| 21/21 [" "***** train metrics *****" "Done"; do
        grep -qF -- "$want" <<<"$text" || {
            fail "output of $WALK_ID lacks '$want'"
            ranks_ok=0
        }
    done
    grep -qE "^\{'loss': [0-9.]+, 'grad_norm': [0-9.e-]+, 'learning_rate': [0-9.e-]+, 'epoch': [0-9.]+\}$" <<<"$text" &&
        pass "training output: Running training block, tqdm lines, loss dicts, train metrics" ||
        fail "no loss dict in the output of $WALK_ID"
    lf=$MINIBASK_LLAMA_FACTORY_DIR/saves/llama3-70b/lora/sft
    [[ -d $lf/checkpoint-21 && $(wc -l <"$lf/trainer_log.jsonl") -ge 3 ]] &&
        pass "output_dir: checkpoint-21 and trainer_log.jsonl" || fail "output_dir $lf lacks checkpoint-21/trainer_log.jsonl"
    dmon=$RDIR/dmon.txt
    h1='#Date       Time        gpu    pwr  gtemp  mtemp     sm    mem    enc    dec    jpg    ofa   mclk   pclk  rxpci  txpci '
    if [[ $(sed -n 1p "$dmon" 2>/dev/null) == "$h1" ]] &&
        sed -n 2p "$dmon" | grep -q '^#YYYYMMDD   HH:MM:SS    Idx      W      C      C      %' &&
        awk 'NR > 2 && $3 == 3 {four=1} NR > 2 && $7 >= 80 {busy=1} END {exit !(four && busy)}' "$dmon"; then
        pass "dmon.txt: driver layout, 4 GPUs, busy while stepping ($(($(wc -l <"$dmon") - 2)) rows)"
    else
        fail "dmon.txt is not as expected:"$'\n'"$(head -n 6 "$dmon" 2>/dev/null)"
    fi
    [[ $(wc -l <"$RDIR/cpu.txt" 2>/dev/null || echo 0) -ge 3 ]] && pass "cpu.txt (vmstat) recorded" ||
        fail "cpu.txt missing or empty"
fi

# --- 4. TIMEOUT ---------------------------------------------------------------------------------
if [[ $TIMEOUT_ID =~ ^[0-9]+$ ]]; then
    st=$(wait_job "$TIMEOUT_ID" 200)
    [[ $st == TIMEOUT ]] && pass "--time 0:01:00 job $TIMEOUT_ID: TIMEOUT in sacct" ||
        fail "--time 0:01:00 job $TIMEOUT_ID: $st"
    line=$(grep -a "DUE TO TIME LIMIT" "$RDIR/timeout-$TIMEOUT_ID.out" 2>/dev/null | head -n1)
    [[ $line =~ slurmstepd.*\*\*\*\ JOB\ $TIMEOUT_ID\ ON\ bask-pg0[56]\ CANCELLED\ AT\ .*\ DUE\ TO\ TIME\ LIMIT ]] &&
        pass "timeout output: $line" || fail "no 'DUE TO TIME LIMIT' line in $RDIR/timeout-$TIMEOUT_ID.out"
fi

if ((FAILURES)); then
    echo "smoke: $FAILURES check(s) failed (outputs in $RDIR)"
    exit 1
fi
ssh_key "rm -rf '$RDIR'" </dev/null || true
echo "smoke: all checks passed"

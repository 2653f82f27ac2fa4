-- mini-Baskerville stand-in for the EasyBuild module PyTorch/2.1.2-foss-2022b-CUDA-11.8.0. It sets what the real one
-- exports; there is no PyTorch behind it (the training stand-in lives in the project's venv).
help([[PyTorch 2.1.2 with CUDA 11.8.0 (mini-Baskerville stand-in).]])
whatis("Name: PyTorch")
whatis("Version: 2.1.2-foss-2022b-CUDA-11.8.0")
whatis("Description: Tensors and Dynamic neural networks in Python with strong GPU acceleration")
setenv("EBROOTPYTORCH", "/bask/apps/live/EL8-ice/software/PyTorch/2.1.2-foss-2022b-CUDA-11.8.0")
setenv("EBVERSIONPYTORCH", "2.1.2")
setenv("EBROOTCUDA", "/bask/apps/live/EL8-ice/software/CUDA/11.8.0")
setenv("EBVERSIONCUDA", "11.8.0")
setenv("CUDA_HOME", "/bask/apps/live/EL8-ice/software/CUDA/11.8.0")
